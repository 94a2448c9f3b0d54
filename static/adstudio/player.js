/* Ad studio player: the analysis page's video and its shot timeline (no inline code: the site's
   Content-Security-Policy refuses it).
   - [data-seek="seconds"] and [data-frame="n"] (a keyframe) buttons seek the video and play it;
   - elements with data-start/data-end get .current (and aria-current) while the video is inside
     that shot; the thumbnail row scrolls to keep the current shot in view;
   - a page opened at #shot-<id> (a search result) starts at that shot. */
(function () {
  var video = document.querySelector("video[data-player]");
  if (!video) {
    return;
  }
  var fps = parseFloat(video.dataset.fps) || 25;
  var shots = Array.prototype.slice.call(document.querySelectorAll("[data-start][data-end]"));
  var current = null;

  // Half a frame in: a time on a frame's exact edge may show the frame before it.
  function seek(seconds, play) {
    video.currentTime = Math.max(0, seconds + 0.5 / fps);
    if (play) {
      video.play().catch(function () {});
    }
  }

  function highlight() {
    var t = video.currentTime;
    var id = null;
    shots.forEach(function (el) {
      if (t >= parseFloat(el.dataset.start) && t < parseFloat(el.dataset.end)) {
        id = el.dataset.shot;
      }
    });
    if (id === current) {
      return;
    }
    current = id;
    shots.forEach(function (el) {
      var on = el.dataset.shot === id;
      el.classList.toggle("current", on);
      if (on) {
        el.setAttribute("aria-current", "true");
      } else {
        el.removeAttribute("aria-current");
      }
    });
    // The row is position: relative, so offsetLeft is the figure's place inside it.
    var figure = id && document.querySelector(".timeline [data-shot='" + id + "']");
    var row = figure && figure.parentElement;
    if (row && (figure.offsetLeft < row.scrollLeft ||
                figure.offsetLeft + figure.offsetWidth > row.scrollLeft + row.clientWidth)) {
      row.scrollLeft = figure.offsetLeft;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-seek], [data-frame]");
    if (!button) {
      return;
    }
    event.preventDefault();
    var seconds = button.dataset.frame !== undefined
      ? parseInt(button.dataset.frame, 10) / fps : parseFloat(button.dataset.seek);
    seek(seconds, true);
  });
  video.addEventListener("timeupdate", highlight);
  video.addEventListener("seeked", highlight);

  var target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.dataset.start !== undefined) {
    var start = function () { seek(parseFloat(target.dataset.start), false); };
    if (video.readyState >= 1) {
      start();
    } else {
      video.addEventListener("loadedmetadata", start, { once: true });
    }
  }
})();
