// The request form's pre-fill from the partner's country profile, without reloading the page: choosing
// the country fills the partner's authority, the language, the channel and the legal bases; choosing the
// offence ticks the legal bases that cover it. Everything else typed stays. Without this script the
// "Fill in from the country profile" button sends the form to the server, which does the same.
(function () {
  "use strict";
  const form = document.querySelector("form[data-profile-url]");
  if (!form) {
    return;
  }
  const country = form.elements.namedItem("country_iso2");
  const offence = form.elements.namedItem("offence_category");
  const button = form.querySelector("button[name='prefill']");
  const status = document.getElementById("profile-status");
  const unverified = document.getElementById("profile-unverified");

  function put(name, value) {
    const field = form.elements.namedItem(name);
    if (Array.isArray(value)) {
      form.querySelectorAll("input[type='checkbox'][name='" + name + "']").forEach(function (box) {
        box.checked = value.indexOf(box.value) !== -1;
      });
    } else if (field) {
      field.value = value;
    }
  }

  // The choices in the order and with the marks of the chosen country's profile; the choice made stays.
  function relist(name, options) {
    const field = form.elements.namedItem(name);
    if (field && field.tagName === "SELECT") {
      const chosen = field.value;
      field.replaceChildren.apply(field, options.map(function (option) {
        return new Option(option[1], option[0]);
      }));
      field.value = chosen;
      return;
    }
    const list = document.getElementById(name);
    if (!list) {
      return;
    }
    options.forEach(function (option) {
      const box = list.querySelector("input[value='" + option[0] + "']");
      const item = box ? box.closest("li") : null;
      if (item) {
        item.querySelector("label").textContent = option[1];
        list.appendChild(item);
      }
    });
  }

  async function fill(onlyBases) {
    if (!country || !country.value) {
      return;
    }
    const url = new URL(form.dataset.profileUrl, window.location.href);
    url.searchParams.set("country", country.value);
    if (offence && offence.value) {
      url.searchParams.set("offence", offence.value);
    }
    const response = await fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"});
    if (!response.ok) {
      return;
    }
    const answer = await response.json();
    Object.keys(answer.options).forEach(function (name) {
      relist(name, answer.options[name]);
    });
    Object.keys(answer.fields).forEach(function (name) {
      if (!onlyBases || name === "legal_bases") {
        put(name, answer.fields[name]);
      }
    });
    if (status) {
      status.textContent = answer.message;
    }
    if (unverified && !onlyBases) {
      unverified.textContent = answer.unverified;
      unverified.hidden = !answer.unverified;
    }
  }

  if (country) {
    country.addEventListener("change", function () { fill(false); });
  }
  if (offence) {
    offence.addEventListener("change", function () { fill(true); });
  }
  if (button) {
    button.type = "button";
    button.addEventListener("click", function () { fill(false); });
  }
})();
