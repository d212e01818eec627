"""lstm_explainer: real recurrent cells and the worked examples of the LSTM explainer.

* `lstm_explainer.cells`: NumPy RNN, LSTM and GRU cells in PyTorch's layout, with traces;
* `lstm_explainer.turnstile`: the two-coin turnstile as a machine and as ReLU RNNs;
* `lstm_explainer.france`: the hand-set LSTM that reads "In France, Mary ate ...";
* `lstm_explainer.cli`: the ``lstm-explainer`` command line.
"""

__version__ = "0.1.0"
