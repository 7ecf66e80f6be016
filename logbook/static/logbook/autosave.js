// Autosave for logbook entries: saves a moment after the writer stops typing, keeps a
// copy on the device until the server has it, and never overwrites another parent's
// newer text without showing it first.
(function () {
  "use strict";
  var DELAY_MS = 800;

  function setup(form) {
    var status = form.querySelector("[data-autosave-status]");
    var versionInput = form.querySelector("input[name=version]");
    var conflictBox = document.getElementById("entry-conflict");
    var storageKey = "opstart-entry:" + form.dataset.autosave;
    var timer = null;
    var inFlight = false;
    var again = false;
    var paused = false;

    function fields() {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && el.name.indexOf("answer_") === 0;
      });
    }

    function snapshot() {
      var values = {};
      fields().forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          values[el.name] = values[el.name] || [];
          if (el.checked) values[el.name].push(el.value);
        } else {
          values[el.name] = el.value;
        }
      });
      return { version: versionInput.value, values: values };
    }

    function restore(values) {
      fields().forEach(function (el) {
        var value = values[el.name];
        if (value === undefined) return;
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = value.indexOf(el.value) !== -1;
        } else {
          el.value = value;
        }
      });
    }

    function keepLocally() {
      try {
        localStorage.setItem(storageKey, JSON.stringify(snapshot()));
      } catch (e) {
        /* private mode: the server copy is all we have */
      }
    }

    function say(text) {
      status.textContent = text;
    }

    function showTheirs(theirs) {
      var box = conflictBox.querySelector("[data-conflict-theirs]");
      box.textContent = "";
      Object.keys(theirs).forEach(function (name) {
        var value = theirs[name];
        if (!value || (Array.isArray(value) && !value.length)) return;
        var p = document.createElement("p");
        p.textContent = Array.isArray(value) ? value.join(", ") : value;
        box.appendChild(p);
      });
      conflictBox.hidden = false;
    }

    function showErrors(errors) {
      form.querySelectorAll(".form-error-message[data-autosave-error]").forEach(function (el) {
        el.remove();
      });
      Object.keys(errors).forEach(function (name) {
        var input = form.elements[name];
        if (!input || !input.parentNode) return;
        var message = document.createElement("span");
        message.className = "form-error-message";
        message.dataset.autosaveError = "1";
        message.textContent = errors[name].join(" ");
        (input.closest ? input.closest(".form-group") : input.parentNode).insertBefore(
          message,
          input.length ? null : input
        );
      });
    }

    function save() {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      say(form.dataset.saving);
      fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          });
        })
        .then(function (result) {
          var data = result.data;
          if (data.status === "saved" || data.status === "empty") {
            versionInput.value = data.version;
            localStorage.removeItem(storageKey);
            showErrors({});
          } else if (data.status === "conflict") {
            // Wait for the writer to read the other text and press Save themselves.
            paused = true;
            versionInput.value = data.version;
            showTheirs(data.theirs);
            keepLocally();
          } else if (data.errors) {
            showErrors(data.errors);
          }
          say(data.message);
        })
        .catch(function () {
          say(form.dataset.offline);
        })
        .finally(function () {
          inFlight = false;
          if (again) {
            again = false;
            save();
          }
        });
    }

    form.addEventListener("input", function () {
      keepLocally();
      say(form.dataset.unsaved);
      if (paused) return;
      clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    });

    // A draft typed on this device that never reached the server comes back.
    try {
      var kept = JSON.parse(localStorage.getItem(storageKey) || "null");
      if (kept && kept.version === versionInput.value) {
        restore(kept.values);
        save();
      } else if (kept) {
        localStorage.removeItem(storageKey);
      }
    } catch (e) {
      localStorage.removeItem(storageKey);
    }
  }

  document.querySelectorAll("form[data-autosave]").forEach(setup);
})();
