"""``python -m lstm_explainer``: the same as the ``lstm-explainer`` command."""

import sys

from .cli import main

sys.exit(main())
