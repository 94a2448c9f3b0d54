/* Moodboards (no inline code: the site's Content-Security-Policy refuses it).
   - ol.board[data-order-url]: drag a keyframe by its handle (SortableJS, vendored in
     static/vendor/sortablejs/) and the new order is posted at once; the ↑ ↓ buttons stay for
     keyboards and are re-enabled to match the new order. A refused order reloads the page.
   - [data-lightbox] links open the #lightbox dialog with a large preview; ← → step through the
     board in its current order, Esc or Close ends it and focus returns to the keyframe.
   - [data-select-on-focus] inputs (the share link) select their text on focus. */
(function () {
  var board = document.querySelector("ol.board[data-order-url]");
  var status = document.getElementById("board-status");

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function syncButtons() {
    var items = board.querySelectorAll("li[data-item]");
    Array.prototype.forEach.call(items, function (li, k) {
      var up = li.querySelector("button[data-move=up]");
      var down = li.querySelector("button[data-move=down]");
      if (up) { up.disabled = k === 0; }
      if (down) { down.disabled = k === items.length - 1; }
    });
  }

  function saveOrder() {
    var body = new URLSearchParams();
    Array.prototype.forEach.call(board.querySelectorAll("li[data-item]"), function (li) {
      body.append("item", li.dataset.item);
    });
    say("Saving the new order…");
    fetch(board.dataset.orderUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (response.ok) {
        syncButtons();
        say("Order saved.");
        return;
      }
      return response.text().then(function (text) {
        say("The order was not saved: " + text + " Reloading…");
        window.setTimeout(function () { window.location.reload(); }, 1500);
      });
    }).catch(function () {
      say("The order was not saved (no connection). Reloading…");
      window.setTimeout(function () { window.location.reload(); }, 1500);
    });
  }

  if (board && window.Sortable) {
    window.Sortable.create(board, {
      handle: ".drag-handle", animation: 150, draggable: "li[data-item]",
      onEnd: function (event) {
        if (event.oldIndex !== event.newIndex) {
          saveOrder();
        }
      }
    });
    board.classList.add("sortable");
  }

  var dialog = document.getElementById("lightbox");
  var opener = null;

  function links() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-lightbox]"));
  }

  function show(index) {
    var all = links();
    var link = all[index];
    if (!link) {
      return;
    }
    opener = link;
    var image = dialog.querySelector("[data-lightbox-image]");
    image.src = link.href;
    image.alt = link.dataset.caption || "";
    dialog.querySelector("[data-lightbox-caption]").textContent = link.dataset.caption || "";
    dialog.querySelector("[data-lightbox-count]").textContent = (index + 1) + " / " + all.length;
    dialog.querySelector("[data-lightbox-prev]").disabled = index === 0;
    dialog.querySelector("[data-lightbox-next]").disabled = index === all.length - 1;
    var download = dialog.querySelector("[data-lightbox-download]");
    download.hidden = !link.dataset.download;
    if (link.dataset.download) {
      download.action = link.dataset.download;
    }
    if (!dialog.open) {
      dialog.showModal();
    }
  }

  function step(by) {
    show(links().indexOf(opener) + by);
  }

  if (dialog) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("[data-lightbox]");
      if (link) {
        event.preventDefault();
        show(links().indexOf(link));
      }
    });
    dialog.querySelector("[data-lightbox-prev]").addEventListener("click", function () { step(-1); });
    dialog.querySelector("[data-lightbox-next]").addEventListener("click", function () { step(1); });
    dialog.querySelector("[data-lightbox-close]").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) {  // the backdrop
        dialog.close();
      }
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") { step(-1); }
      if (event.key === "ArrowRight") { step(1); }
    });
    dialog.addEventListener("close", function () {
      if (opener) {
        opener.focus();
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-select-on-focus]"), function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
