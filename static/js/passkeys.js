// Passkeys (WebAuthn) for forms marked data-passkey="add" or "authenticate".
// Such a form is hidden until this script sees the browser can use passkeys.
// On submit it asks the server for options (POST to data-options-url), lets
// the browser make or use a passkey, puts the browser's answer in the form's
// "credential" field as JSON and submits the form as usual, so the server's
// answer is an ordinary page. Also shows "Print" buttons (data-print).
(function () {
  "use strict";

  function toBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var text = atob(base64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    if (!buffer) return null;
    var bytes = new Uint8Array(buffer);
    var text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return Object.assign({}, item, { id: toBytes(item.id) });
    });
  }

  function creationOptions(json) {
    return Object.assign({}, json, {
      challenge: toBytes(json.challenge),
      user: Object.assign({}, json.user, { id: toBytes(json.user.id) }),
      excludeCredentials: descriptors(json.excludeCredentials),
    });
  }

  function requestOptions(json) {
    return Object.assign({}, json, {
      challenge: toBytes(json.challenge),
      allowCredentials: descriptors(json.allowCredentials),
    });
  }

  function answerAsJSON(credential) {
    var response = credential.response;
    var answer = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      response: { clientDataJSON: toBase64url(response.clientDataJSON) },
    };
    if (response.attestationObject) {
      answer.response.attestationObject = toBase64url(response.attestationObject);
      if (response.getTransports) answer.response.transports = response.getTransports();
    } else {
      answer.response.authenticatorData = toBase64url(response.authenticatorData);
      answer.response.signature = toBase64url(response.signature);
      answer.response.userHandle = toBase64url(response.userHandle);
    }
    return JSON.stringify(answer);
  }

  function say(form, text) {
    var note = form.querySelector("[data-passkey-problem]");
    if (!note) {
      note = document.createElement("p");
      note.setAttribute("data-passkey-problem", "");
      note.setAttribute("role", "alert");
      note.className = "form-errors";
      form.appendChild(note);
    }
    note.textContent = text;
  }

  function credentialField(form) {
    var field = form.querySelector('input[name="credential"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "credential";
      form.appendChild(field);
    }
    return field;
  }

  function usePasskey(event) {
    var form = event.currentTarget;
    event.preventDefault();
    var name = form.querySelector('input[name="name"]');
    if (name && !name.value.trim()) {
      say(form, "Give this passkey a name first, such as “My phone”.");
      name.focus();
      return;
    }
    var button = form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    var adding = form.dataset.passkey === "add";
    fetch(form.dataset.optionsUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (reply) {
        return reply.json().then(function (json) {
          if (json.redirect) {
            window.location.assign(json.redirect);
            throw new Error("redirected");
          }
          if (!reply.ok) throw new Error("options: " + reply.status);
          return json;
        });
      })
      .then(function (json) {
        return adding
          ? navigator.credentials.create({ publicKey: creationOptions(json) })
          : navigator.credentials.get({ publicKey: requestOptions(json) });
      })
      .then(function (credential) {
        credentialField(form).value = answerAsJSON(credential);
        form.submit();
      })
      .catch(function (error) {
        if (button) button.disabled = false;
        if (error && error.message === "redirected") return;
        say(
          form,
          error && error.name === "NotAllowedError"
            ? "The passkey wasn't used. You can try again whenever you're ready."
            : "Something went wrong with the passkey. Please try again."
        );
      });
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });

  if (!window.PublicKeyCredential || !navigator.credentials) return;
  document.querySelectorAll("form[data-passkey]").forEach(function (form) {
    form.hidden = false;
    form.addEventListener("submit", usePasskey);
  });
  document.querySelectorAll("[data-passkey-unsupported]").forEach(function (note) {
    note.hidden = true;
  });
})();
