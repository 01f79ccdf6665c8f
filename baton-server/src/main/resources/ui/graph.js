// Pan and zoom of the lineage graph by moving the SVG's viewBox; a drag does not follow a link.
(function () {
  var svg = document.getElementById('graph');
  if (!svg) { return; }
  var full = { x: 0, y: 0, w: +svg.dataset.width, h: +svg.dataset.height };
  var view = { x: 0, y: 0, w: full.w, h: full.h };
  function apply() { svg.setAttribute('viewBox', view.x + ' ' + view.y + ' ' + view.w + ' ' + view.h); }
  function fit() {
    var box = svg.getBoundingClientRect();
    // Never smaller than readable: a huge graph opens at 70% size at its left edge, halfway down
    // (columns are centred vertically, so that is where every column has nodes).
    var scale = Math.max(full.w / box.width, full.h / box.height);
    var limit = 1 / 0.7;
    if (scale > limit) { scale = limit; }
    if (scale < 1) { scale = 1; }
    var h = box.height * scale;
    view = { x: 0, y: Math.max(0, (full.h - h) / 2), w: box.width * scale, h: h };
    apply();
  }
  function zoom(factor, cx, cy) {
    var box = svg.getBoundingClientRect();
    var px = view.x + (cx - box.left) / box.width * view.w;
    var py = view.y + (cy - box.top) / box.height * view.h;
    view.w *= factor; view.h *= factor;
    view.x = px - (cx - box.left) / box.width * view.w;
    view.y = py - (cy - box.top) / box.height * view.h;
    apply();
  }
  svg.addEventListener('wheel', function (event) {
    event.preventDefault();
    zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, event.clientX, event.clientY);
  }, { passive: false });
  var drag = null;
  var moved = false;
  svg.addEventListener('mousedown', function (event) {
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
    moved = false;
  });
  window.addEventListener('mousemove', function (event) {
    if (!drag) { return; }
    var box = svg.getBoundingClientRect();
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) { moved = true; svg.classList.add('dragging'); }
    view.x = drag.vx - dx / box.width * view.w;
    view.y = drag.vy - dy / box.height * view.h;
    apply();
  });
  window.addEventListener('mouseup', function () { drag = null; svg.classList.remove('dragging'); });
  svg.addEventListener('click', function (event) { if (moved) { event.preventDefault(); moved = false; } }, true);
  document.querySelectorAll('.zoom button').forEach(function (button) {
    button.addEventListener('click', function () {
      var box = svg.getBoundingClientRect();
      var mode = button.dataset.zoom;
      if (mode === 'fit') { fit(); return; }
      zoom(mode === 'in' ? 1 / 1.25 : 1.25, box.left + box.width / 2, box.top + box.height / 2);
    });
  });
  fit();
})();
