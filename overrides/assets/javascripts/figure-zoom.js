// A zoom view for the computed figures (<figure class="computed">), loaded by overrides/main.html
// on pages with a figure only; its styles are assets/stylesheets/figure-zoom.css.
//
// On a phone a figure is shrunk to the width of the screen and its labels to a few pixels. Each
// figure gets a button (in its caption) that opens it in a modal <dialog> at its natural size, or
// larger when the screen has room: labels at the size they were drawn at (9 px or more). A tap on
// the figure opens it too. In the view the figure pans by scrolling, by dragging (finger or mouse)
// and with the arrow keys; it zooms with pinch, Ctrl + wheel, the buttons and the keys + - 0. It
// closes with Escape, its close button or a tap beside it, and gives the focus back to the
// figure's button. Both palettes' images are copied: Material's #only-light / #only-dark rules
// show the right one. Without JavaScript nothing changes: the figure stays in the page.
(() => {
  const figures = [...document.querySelectorAll("figure.computed")].filter(figure => figure.querySelector("img"));
  if (!figures.length || typeof HTMLDialogElement !== "function") return;

  const STEP = 1.25;      // one press of + or -
  const MAX_SCALE = 4;    // times the natural size
  const icon = path => `<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="${path}"/></svg>`;
  const ICONS = {
    enlarge: icon("M15.5 14h-.79l-.28-.27A6.47 6.47 0 0 0 16 9.5 6.5 6.5 0 1 0 9.5 16c1.61 0 3.09-.59 4.23-1.57l.27.28v.79l5 4.99L20.49 19zm-6 0C7.01 14 5 11.99 5 9.5S7.01 5 9.5 5 14 7.01 14 9.5 11.99 14 9.5 14m.5-7H9v2H7v1h2v2h1v-2h2V9h-2z"),
    minus: icon("M19 13H5v-2h14z"),
    plus: icon("M19 13h-6v6h-2v-6H5v-2h6V5h2v6h6z"),
    fit: icon("M5 5h5v2H7v3H5zm9 0h5v5h-2V7h-3zm3 9h2v5h-5v-2h3zM5 14h2v3h3v2H5z"),
    close: icon("M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"),
  };

  // --- the view, built once -------------------------------------------------------------------
  const dialog = document.createElement("dialog");
  dialog.className = "figure-zoom";
  dialog.tabIndex = -1;
  dialog.setAttribute("aria-labelledby", "figure-zoom-title");
  dialog.innerHTML = `
    <div class="figure-zoom__bar">
      <p class="figure-zoom__title" id="figure-zoom-title"></p>
      <div class="figure-zoom__tools" role="group" aria-label="Zoom">
        <button type="button" data-zoom="out" aria-label="Zoom out" title="Zoom out (-)">${ICONS.minus}</button>
        <output class="figure-zoom__level" aria-live="polite"></output>
        <button type="button" data-zoom="in" aria-label="Zoom in" title="Zoom in (+)">${ICONS.plus}</button>
        <button type="button" data-zoom="fit" aria-label="Fit to the screen" title="Fit to the screen (0)">${ICONS.fit}</button>
        <button type="button" data-zoom="close" aria-label="Close" title="Close (Esc)">${ICONS.close}</button>
      </div>
    </div>
    <div class="figure-zoom__viewport" tabindex="0" role="group" aria-roledescription="zoomable figure"
         aria-label="The figure: drag or scroll to move around, pinch or use + and - to zoom">
      <div class="figure-zoom__canvas"></div>
    </div>`;
  const title = dialog.querySelector(".figure-zoom__title");
  const level = dialog.querySelector(".figure-zoom__level");
  const viewport = dialog.querySelector(".figure-zoom__viewport");
  const canvas = dialog.querySelector(".figure-zoom__canvas");
  const button = name => dialog.querySelector(`[data-zoom="${name}"]`);
  (document.querySelector("main") || document.body).append(dialog);

  let opener = null;          // the button that opened the view (focus goes back to it)
  let size = [1, 1];          // the figure's natural width and height, CSS pixels
  let scale = 1;              // shown size / natural size
  let fitScale = 1;           // the whole figure in view (never above 1)

  const shown = () => [...canvas.querySelectorAll("img")].find(img => img.getClientRects().length)
    || canvas.firstElementChild;
  // The room the figure has in the view: its width, and the height the view may grow to.
  const room = () => {
    const padding = 2 * parseFloat(getComputedStyle(canvas).paddingLeft || "0");
    const tallest = parseFloat(getComputedStyle(dialog).maxHeight) || innerHeight;
    const chrome = dialog.offsetHeight - dialog.clientHeight + dialog.querySelector(".figure-zoom__bar").offsetHeight;
    const scrollbar = viewport.offsetHeight - viewport.clientHeight;
    return [viewport.clientWidth - padding, tallest - chrome - scrollbar - padding];
  };

  // Zoom to `next`, keeping the point of the figure under (x, y) (client coordinates, the middle
  // of the view by default) under (toX, toY): a pinch zooms about its fingers and follows them.
  function zoom(next, x, y, toX = x, toY = y) {
    if (x === undefined) {
      const view = viewport.getBoundingClientRect();
      x = toX = view.left + view.width / 2;
      y = toY = view.top + view.height / 2;
    }
    next = Math.min(MAX_SCALE, Math.max(fitScale, next));
    const image = shown();
    const before = image.getBoundingClientRect();
    const fx = (x - before.left) / (before.width || 1);
    const fy = (y - before.top) / (before.height || 1);
    scale = next;
    canvas.style.setProperty("--figure-zoom-width", `${(size[0] * scale).toFixed(1)}px`);
    const after = image.getBoundingClientRect();
    viewport.scrollLeft += after.left + fx * after.width - toX;
    viewport.scrollTop += after.top + fy * after.height - toY;
    level.value = `${Math.round(scale * 100)} %`;
    button("out").disabled = scale <= fitScale + 1e-3;
    button("in").disabled = scale >= MAX_SCALE - 1e-3;
  }

  // Opened from the keyboard, the focus goes to the figure (the arrow keys pan it at once);
  // by a tap or a click, to the dialog itself (no focus ring shown on the figure).
  function open(figure, from, byKeyboard) {
    opener = from;
    const images = [...figure.querySelectorAll("img")];
    const first = images[0];
    size = [Number(first.getAttribute("width")) || first.naturalWidth || 600,
            Number(first.getAttribute("height")) || first.naturalHeight || 400];
    const caption = figure.querySelector("figcaption");  // its markup (code, math), not the button
    if (caption) {
      title.replaceChildren(...[...caption.childNodes].filter(node => node !== from).map(node => node.cloneNode(true)));
    } else {
      title.textContent = first.alt;
    }
    canvas.replaceChildren(...images.map(image => {
      const copy = new Image(size[0], size[1]);
      copy.loading = "lazy";  // the other palette's copy is hidden: never fetched
      copy.draggable = false;
      copy.alt = image.alt;
      copy.src = image.getAttribute("src");
      return copy;
    }));
    from.focus({ preventScroll: true });  // where the dialog gives the focus back when it closes
    dialog.showModal();
    (byKeyboard ? viewport : dialog).focus({ preventScroll: true });
    const [width, height] = room();
    fitScale = Math.min(1, width / size[0], height / size[1]);
    // natural size (labels as drawn), or larger on a screen with room to spare
    scale = 1;
    canvas.style.setProperty("--figure-zoom-width", `${size[0]}px`);
    zoom(Math.max(1, Math.min(width / size[0], height / size[1])));
    viewport.scrollTo(0, 0);
  }

  dialog.addEventListener("close", () => {
    canvas.replaceChildren();
    pointers.clear();
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  });
  // A tap beside the view (on the backdrop) reaches the dialog itself: close.
  dialog.addEventListener("click", event => { if (event.target === dialog) dialog.close(); });
  button("close").addEventListener("click", () => dialog.close());
  button("in").addEventListener("click", () => zoom(scale * STEP));
  button("out").addEventListener("click", () => zoom(scale / STEP));
  button("fit").addEventListener("click", () => zoom(fitScale));
  dialog.addEventListener("keydown", event => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const action = { "+": STEP, "=": STEP, "-": 1 / STEP, "_": 1 / STEP }[event.key];
    if (action) zoom(scale * action);
    else if (event.key === "0") zoom(fitScale);
    else return;
    event.preventDefault();
  });
  // Ctrl + wheel (a trackpad's pinch on a computer): zoom about the pointer.
  viewport.addEventListener("wheel", event => {
    if (!event.ctrlKey) return;
    event.preventDefault();
    zoom(scale * Math.exp(-event.deltaY / 300), event.clientX, event.clientY);
  }, { passive: false });

  // One pointer pans (drag), two pinch. touch-action: none (figure-zoom.css) hands them all here.
  const pointers = new Map();
  viewport.addEventListener("pointerdown", event => {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    viewport.setPointerCapture(event.pointerId);
    pointers.set(event.pointerId, [event.clientX, event.clientY]);
    if (event.pointerType === "mouse") viewport.classList.add("is-dragging");
  });
  viewport.addEventListener("pointermove", event => {
    const before = pointers.get(event.pointerId);
    if (!before) return;
    const now = [event.clientX, event.clientY];
    pointers.set(event.pointerId, now);
    if (pointers.size === 1) {
      viewport.scrollLeft -= now[0] - before[0];
      viewport.scrollTop -= now[1] - before[1];
    } else if (pointers.size === 2) {
      const other = [...pointers].find(([id]) => id !== event.pointerId)[1];
      const distance = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1]);
      const from = distance(before, other);
      if (from < 1) return;
      const mid = (a, b) => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      const [x, y] = mid(before, other);
      const [toX, toY] = mid(now, other);
      zoom(scale * distance(now, other) / from, x, y, toX, toY);
    }
  });
  const release = event => {
    pointers.delete(event.pointerId);
    if (!pointers.size) viewport.classList.remove("is-dragging");
  };
  viewport.addEventListener("pointerup", release);
  viewport.addEventListener("pointercancel", release);

  // --- a button on each figure ------------------------------------------------------------------
  // no title attribute: Material's tooltips (content.tooltips) take it over and strip aria-haspopup
  figures.forEach(figure => {
    const enlarge = document.createElement("button");
    enlarge.type = "button";
    enlarge.className = "figure-zoom__open";
    enlarge.setAttribute("aria-label", "Enlarge the figure");
    enlarge.setAttribute("aria-haspopup", "dialog");
    enlarge.innerHTML = ICONS.enlarge;
    enlarge.addEventListener("click", event => open(figure, enlarge, event.detail === 0));
    (figure.querySelector("figcaption") || figure).append(enlarge);
    figure.querySelectorAll("img").forEach(image => image.addEventListener("click", () => open(figure, enlarge)));
  });
})();
