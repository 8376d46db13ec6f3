/* The visitors' site: a little progressive enhancement. Everything works
   without this file; with it, the quick exit is instant and reachable by
   keyboard (Shift three times), timestamps seek the player, the transcript
   follows the audio, a moment can be shared as a link, and addresses can be copied. No inline script is
   needed anywhere, so the Content-Security-Policy forbids it. */
(function () {
  "use strict";

  /* Quick exit ------------------------------------------------------------ */
  var FALLBACK_EXIT = "https://nos.nl/weer";
  var SHIFT_PRESSES = 3;
  var SHIFT_WINDOW_MS = 1000; /* between presses, as GOV.UK "Exit this page" */

  function exitTarget() {
    var link = document.querySelector("[data-quick-exit]");
    return link ? link.href : FALLBACK_EXIT;
  }

  function quickExit(event) {
    if (event) event.preventDefault();
    /* Hide at once, then replace this page in the history with the neutral
       site, so Back does not return here. The Referrer-Policy header and the
       referrer meta tag keep this site out of the next site's logs. */
    document.documentElement.classList.add("exiting");
    document.title = "";
    var audio = document.querySelectorAll("audio");
    for (var i = 0; i < audio.length; i++) audio[i].pause();
    window.location.replace(exitTarget());
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (link) quickExit(event);
  });

  var shiftCount = 0;
  var lastShift = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      shiftCount = 0;
      return;
    }
    if (event.repeat) return;
    var now = Date.now();
    shiftCount = now - lastShift <= SHIFT_WINDOW_MS ? shiftCount + 1 : 1;
    lastShift = now;
    if (shiftCount >= SHIFT_PRESSES) {
      shiftCount = 0;
      quickExit();
    }
  });

  /* Back-forward cache: never show a page that was left through the exit. */
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.documentElement.classList.contains("exiting")) {
      window.location.replace(exitTarget());
    }
  });

  /* Player: seek links, #t=SECONDS, transcript highlighting ---------------- */
  var player = document.getElementById("speler");

  function parseTime(hash) {
    var match = /^#t=(\d+(?:\.\d+)?)$/.exec(hash || "");
    return match ? parseFloat(match[1]) : null;
  }

  function seek(seconds, play) {
    if (!player) return;
    var go = function () {
      player.currentTime = seconds;
      if (play) {
        var started = player.play();
        if (started && started.catch) started.catch(function () {});
      }
    };
    if (player.readyState >= 1) {
      go();
    } else {
      player.addEventListener("loadedmetadata", go, { once: true });
      if (player.preload === "none") player.load();
    }
  }

  if (player) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.seek");
      if (!link) return;
      event.preventDefault();
      /* Chapters carry data-seek; a transcript cue's start is on its item. */
      var holder = link.closest("[data-seek], [data-start]");
      var seconds = holder ? parseFloat(holder.getAttribute("data-seek") || holder.getAttribute("data-start")) : NaN;
      if (isNaN(seconds)) seconds = parseTime(link.hash) || 0;
      /* replaceState: shareable URL without piling up history entries. */
      history.replaceState(null, "", "#t=" + Math.floor(seconds));
      seek(seconds, true);
    });

    window.addEventListener("hashchange", function () {
      var seconds = parseTime(location.hash);
      if (seconds !== null) seek(seconds, true);
    });

    var start = parseTime(location.hash);
    if (start !== null) {
      seek(start, false);
      player.scrollIntoView({ block: "center" });
    }

    var cues = Array.prototype.slice.call(document.querySelectorAll(".cues li[data-start]"));
    var current = null;
    var mark = function () {
      var t = player.currentTime;
      var found = null;
      for (var i = 0; i < cues.length; i++) {
        var begin = parseFloat(cues[i].getAttribute("data-start"));
        var end = parseFloat(cues[i].getAttribute("data-end"));
        if (t >= begin && t < end) {
          found = cues[i];
          break;
        }
      }
      if (found === current) return;
      if (current) {
        current.classList.remove("current");
        current.removeAttribute("aria-current");
      }
      if (found) {
        found.classList.add("current");
        found.setAttribute("aria-current", "true");
      }
      current = found;
    };
    if (cues.length) {
      player.addEventListener("timeupdate", mark);
      player.addEventListener("seeked", mark);
    }

    /* "Deel dit moment": a link with #t= at the current time, and its line. */
    var moment = document.querySelector("[data-moment]");
    var clock = function (seconds) {
      var s = Math.floor(seconds);
      var h = Math.floor(s / 3600);
      var m = Math.floor((s % 3600) / 60);
      var rest = String(s % 60).padStart(2, "0");
      return h ? h + ":" + String(m).padStart(2, "0") + ":" + rest : m + ":" + rest;
    };
    var lineAt = function (seconds) {
      for (var i = 0; i < cues.length; i++) {
        if (seconds >= parseFloat(cues[i].getAttribute("data-start")) &&
            seconds < parseFloat(cues[i].getAttribute("data-end"))) {
          var link = cues[i].querySelector("a");
          return cues[i].textContent.slice(link ? link.textContent.length : 0).trim();
        }
      }
      return "";
    };
    var describe = function (seconds) {
      var line = lineAt(seconds);
      return "Vanaf " + clock(seconds) + (line ? ": \u201c" + line + "\u201d" : "");
    };
    if (moment) {
      moment.hidden = false;
      var now = moment.querySelector(".moment-now");
      if (start !== null) now.textContent = describe(start);
      moment.querySelector("[data-share-moment]").addEventListener("click", function () {
        var seconds = Math.floor(player.currentTime);
        var field = document.getElementById("moment-adres");
        field.value = location.href.split("#")[0] + "#t=" + seconds;
        moment.querySelector(".moment-link").hidden = false;
        now.textContent = describe(seconds);
        field.focus();
        field.select();
      });
    }
  }

  /* Search filters: behind a disclosure on a phone, open beside the results on a wide screen. */
  var facets = document.querySelector("[data-facets]");
  if (facets && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 60rem)");
    var chosen = facets.open;
    var follow = function () { facets.open = wide.matches || chosen; };
    follow();
    if (wide.addEventListener) wide.addEventListener("change", follow);
  }

  /* Copy the feed address -------------------------------------------------- */
  var buttons = document.querySelectorAll("button[data-copy]");
  for (var b = 0; b < buttons.length; b++) {
    buttons[b].hidden = false;
    buttons[b].addEventListener("click", function (event) {
      var button = event.currentTarget;
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = button.closest("p").querySelector(".copy-status");
      var done = function () { if (status) status.textContent = "Het adres is gekopieerd."; };
      var fallback = function () {
        field.select();
        try {
          document.execCommand("copy");
          done();
        } catch (error) {
          if (status) status.textContent = "Kopiëren lukte niet: selecteer het adres en kopieer het zelf.";
        }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  }
})();
