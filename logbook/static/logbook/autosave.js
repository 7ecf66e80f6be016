// Autosave for logbook entries; the protocol is described in docs/architecture.md ("Writing").
//
// Every change is kept at once in localStorage as this tab's draft: the text and the server
// version it builds on. A moment after typing stops, the form is posted with that version; the
// server saves it only if nobody saved since, and otherwise answers 409 with the newer text.
// A post lost on the network, or answered 5xx or 429, is tried again with exponential back-off;
// a closed exercise (403) or a lost session stops saving with a message until the next change.
// Text that meets a newer saved version (a 409, a save in another tab, a stale draft found when
// the page opens) is never sent over it: the page shows both and the writer chooses. The tabs of
// one browser tell each other about their saves.
(function () {
  "use strict";
  var DELAY_MS = 800;
  var RETRY_FIRST_MS = 1000;
  var RETRY_MAX_MS = 30000;

  function tabId() {
    // Per tab and kept across its reloads, so that one tab's save never removes the draft
    // another tab has not saved yet.
    try {
      var id = sessionStorage.getItem("opstart-tab");
      if (!id) {
        id = Date.now().toString(36) + Math.random().toString(36).slice(2);
        sessionStorage.setItem("opstart-tab", id);
      }
      return id;
    } catch (e) {
      return "tab";
    }
  }

  function store(key, value) {
    try {
      if (value === null) {
        localStorage.removeItem(key);
      } else {
        localStorage.setItem(key, JSON.stringify(value));
      }
    } catch (e) {
      /* private mode or a full disk: the server copy is all we have */
    }
  }

  function draftsUnder(prefix) {
    var found = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key.indexOf(prefix) !== 0) continue;
        try {
          found.push({ key: key, draft: JSON.parse(localStorage.getItem(key)) });
        } catch (e) {
          localStorage.removeItem(key);
        }
      }
    } catch (e) {
      /* no storage: no drafts */
    }
    return found.sort(function (a, b) {
      return (b.draft.at || 0) - (a.draft.at || 0);
    });
  }

  function setup(form) {
    var versionInput = form.querySelector("input[name=version]");
    var status = form.querySelector("[data-autosave-status]");
    var announcer = form.querySelector("[data-autosave-announce]");
    var box = document.getElementById("entry-conflict");
    var text = form.dataset;
    var prefix = "opstart-draft:" + form.dataset.autosave + ":";
    var draftKey = prefix + tabId();
    var channel = window.BroadcastChannel
      ? new BroadcastChannel("opstart-entry:" + form.dataset.autosave)
      : null;
    var fields = answerFields();
    var saved = current(true); // the server's text at the form's version, as far as we know
    var sending = null; // the values of the post under way
    var theirs = null; // a newer saved version the writer has to choose about
    var timer = null;
    var failures = 0;
    var halted = false;

    // -- the form's answers ------------------------------------------------------------------

    function answerFields() {
      var byName = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.name.indexOf("answer_") !== 0) return;
        var field = byName[el.name];
        if (!field) {
          var group = el.closest(".form-group");
          var label = group && group.querySelector(".form-label");
          field = byName[el.name] = {
            name: el.name,
            label: label ? label.childNodes[0].textContent.trim() : el.name,
            many: el.type === "checkbox",
            options: {},
          };
        }
        if (el.type === "checkbox" || el.type === "radio") {
          var option = el.closest("label") || form.querySelector('label[for="' + el.id + '"]');
          field.options[el.value] = option ? option.textContent.trim() : el.value;
        } else if (el.options) {
          Array.prototype.forEach.call(el.options, function (o) {
            field.options[o.value] = o.text;
          });
        }
      });
      return Object.keys(byName).map(function (name) {
        return byName[name];
      });
    }

    // The answers in the form now, or (``rendered``) as the server rendered them.
    function current(rendered) {
      var values = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.name.indexOf("answer_") !== 0) return;
        var checked = rendered ? el.defaultChecked : el.checked;
        if (el.type === "checkbox") {
          values[el.name] = values[el.name] || [];
          if (checked) values[el.name].push(el.value);
        } else if (el.type === "radio") {
          if (checked || !(el.name in values)) values[el.name] = checked ? el.value : "";
        } else if (rendered && el.options) {
          var chosen = Array.prototype.filter.call(el.options, function (option) {
            return option.defaultSelected;
          })[0] || el.options[0];
          values[el.name] = chosen ? chosen.value : "";
        } else {
          values[el.name] = rendered ? el.defaultValue : el.value;
        }
      });
      return values;
    }

    function restore(values) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || !(el.name in values)) return;
        var value = values[el.name];
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = [].concat(value).map(String).indexOf(el.value) !== -1;
        } else {
          el.value = value === null ? "" : value;
        }
      });
    }

    // One spelling for one text: line ends as a textarea gives them, lists sorted, empty as "".
    function canonical(values) {
      var out = {};
      fields.forEach(function (field) {
        var value = (values || {})[field.name];
        if (Array.isArray(value)) {
          out[field.name] = value.length ? value.map(String).sort() : "";
        } else {
          out[field.name] = value === null || value === undefined ? "" : String(value);
          out[field.name] = out[field.name].replace(/\r\n?/g, "\n");
        }
      });
      return JSON.stringify(out);
    }

    function same(a, b) {
      return canonical(a) === canonical(b);
    }

    function version() {
      return versionInput.value;
    }

    function setVersion(value) {
      versionInput.value = value;
    }

    // -- what the writer sees and hears ------------------------------------------------------

    function say(message) {
      status.textContent = message || "";
    }

    function announce(message) {
      say(message);
      announcer.textContent = message || "";
    }

    function show(values, target) {
      target.textContent = "";
      fields.forEach(function (field) {
        var value = values[field.name];
        var shown = [].concat(value === null || value === undefined ? [] : value)
          .map(function (v) {
            return field.options[v] || v;
          })
          .join(", ");
        if (!shown) return;
        var p = document.createElement("p");
        var label = document.createElement("strong");
        label.textContent = field.label;
        p.appendChild(label);
        p.appendChild(document.createElement("br"));
        p.appendChild(document.createTextNode(shown));
        target.appendChild(p);
      });
    }

    function showMine() {
      show(current(), box.querySelector("[data-conflict-mine-text]"));
    }

    function showErrors(errors) {
      form.querySelectorAll("[data-autosave-error]").forEach(function (el) {
        el.remove();
      });
      Object.keys(errors).forEach(function (name) {
        var input = form.elements[name];
        var first = input && !input.tagName ? input[0] : input;
        if (!first) return;
        var message = document.createElement("span");
        message.className = "form-error-message";
        message.dataset.autosaveError = "1";
        message.textContent = errors[name].join(" ");
        var group = first.closest(".form-group") || first.parentNode;
        group.insertBefore(message, group.querySelector("input, textarea, select, div"));
      });
    }

    // -- the draft on this device ------------------------------------------------------------

    function keep() {
      var values = current();
      if (!theirs && same(values, saved)) {
        store(draftKey, null);
      } else {
        store(draftKey, { base: version(), values: values, sending: sending, at: Date.now() });
      }
    }

    // -- saving ------------------------------------------------------------------------------

    function post(keepalive) {
      return fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        keepalive: keepalive,
      });
    }

    function schedule(ms) {
      clearTimeout(timer);
      timer = setTimeout(save, ms);
    }

    function save() {
      clearTimeout(timer);
      timer = null;
      if (sending || theirs) return;
      var values = current();
      if (same(values, saved)) {
        keep();
        return;
      }
      sending = values;
      keep();
      say(text.saving);
      post(false).then(answer, retry);
    }

    function answer(response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.status >= 500 || response.status === 429) return retry();
      if (response.redirected || type.indexOf("application/json") === -1) {
        return stop(text.stopped);
      }
      return response.json().then(function (data) {
        var sent = sending;
        sending = null;
        if (response.ok) return stored(data.version, sent, data.message);
        if (response.status === 409) {
          // Our own earlier post landed but its answer was lost: nothing to choose.
          if (same(data.theirs, sent)) return stored(data.version, sent, data.saved);
          return disagree({ version: data.version, values: data.theirs }, data.message);
        }
        if (data.errors) {
          showErrors(data.errors);
          return announce(data.message);
        }
        stop(data.message || text.stopped);
      }, retry);
    }

    function stored(newVersion, sent, message) {
      failures = 0;
      setVersion(newVersion);
      saved = sent;
      if (channel) channel.postMessage({ version: newVersion, values: sent });
      keep(); // gone, or moved onto the new version when typing went on meanwhile
      showErrors({});
      announce(message);
      if (!same(current(), saved)) schedule(DELAY_MS);
    }

    function retry() {
      sending = null;
      failures += 1;
      var ceiling = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * Math.pow(2, failures - 1));
      // Jitter, so that the tabs and devices that lost the same server do not return together.
      schedule(ceiling / 2 + (Math.random() * ceiling) / 2);
      announce(text.offline);
    }

    function stop(message) {
      sending = null;
      failures = 0;
      halted = true;
      announce(message);
    }

    // -- a newer saved version: the writer chooses -------------------------------------------

    function disagree(newer, message) {
      theirs = { version: newer.version, values: newer.values };
      clearTimeout(timer);
      timer = null;
      failures = 0;
      keep();
      box.querySelector("[data-conflict-message]").textContent = message;
      show(theirs.values, box.querySelector("[data-conflict-theirs]"));
      showMine();
      box.querySelector("[data-conflict-mine]").hidden = false;
      box.querySelector("[data-conflict-choices]").hidden = false;
      box.hidden = false;
      box.focus();
      announce(message);
    }

    function settle(newer) {
      setVersion(newer.version);
      saved = newer.values;
      theirs = null;
      box.hidden = true;
    }

    function backToWriting() {
      var first = form.querySelector("[name^=answer_]");
      if (first) first.focus();
    }

    box.querySelector("[data-keep=mine]").addEventListener("click", function () {
      settle(theirs);
      backToWriting();
      save();
    });

    box.querySelector("[data-keep=saved]").addEventListener("click", function () {
      var newer = theirs;
      restore(newer.values);
      settle(newer);
      keep();
      backToWriting();
      announce(text.replaced);
    });

    if (channel) {
      channel.onmessage = function (event) {
        var other = event.data;
        var known = theirs ? theirs.version : version();
        if (!other || Number(other.version) <= Number(known)) return;
        if (same(current(), other.values)) {
          settle(other); // the other tab saved this very text: nothing to choose
          keep();
        } else if (!theirs && !sending && same(current(), saved)) {
          // Nothing unsaved here: simply show what the other tab saved.
          restore(other.values);
          setVersion(other.version);
          saved = other.values;
          announce(text.updated);
        } else {
          disagree(other, text.otherWindow);
        }
      };
    }

    // -- events ------------------------------------------------------------------------------

    form.addEventListener("input", function () {
      keep();
      if (theirs) return showMine();
      halted = false;
      say(text.unsaved);
      if (!failures) schedule(DELAY_MS); // after a failure the back-off sends the latest text
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (theirs) return box.focus();
      halted = false;
      failures = 0;
      if (sending) return; // its answer sends what was typed meanwhile
      if (same(current(), saved)) return announce(status.textContent || text.unchanged);
      save();
    });

    window.addEventListener("online", function () {
      if (failures && !sending) save();
    });

    // A closing tab sends what the wait has not sent yet; the draft stays until a page knows
    // the server has it.
    window.addEventListener("pagehide", function () {
      if (timer && !sending && !halted) {
        try {
          post(true);
        } catch (e) {
          /* too large to send while closing: the draft is kept */
        }
      }
    });

    // -- opening the page: a draft this device kept --------------------------------------------

    var server = { version: version(), values: saved };
    var earlier = "opstart-entry:" + form.dataset.autosave;
    try {
      // A draft kept by the script before drafts knew their base: offered, never posted.
      var old = JSON.parse(localStorage.getItem(earlier) || "null");
      if (old) store(prefix + "earlier", { base: -1, values: old.values, at: 0 });
      localStorage.removeItem(earlier);
    } catch (e) {
      /* unreadable: nothing to offer */
    }
    var waiting = draftsUnder(prefix).filter(function (item) {
      if (!item.draft || same(item.draft.values, server.values)) {
        store(item.key, null); // the server has this text already
        return false;
      }
      return true;
    });
    if (waiting.length) {
      var draft = waiting[0].draft;
      store(waiting[0].key, null); // from now on it is this tab's draft
      restore(draft.values);
      var landed = draft.sending && same(draft.sending, server.values);
      if (String(draft.base) === server.version || landed) {
        keep();
        save();
      } else {
        setVersion(draft.base);
        disagree(server, text.staleDraft);
      }
    } else if (!same(current(), saved)) {
      // Typed while the page was still loading, before this script listened: saved like
      // any typing.
      keep();
      say(text.unsaved);
      schedule(DELAY_MS);
    }
  }

  document.querySelectorAll("form[data-autosave]").forEach(setup);
})();
