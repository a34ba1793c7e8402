// The registry site's behaviour: theme and sidebar remembered in localStorage, filters and search over the cards.
// Plain JavaScript, no dependencies, no network: works from any static host.
(function () {
  "use strict";
  var root = document.documentElement;
  var stored = localStorage.getItem("mcpgw-theme");
  if (stored === "dark" || stored === "light") { root.setAttribute("data-theme", stored); }

  document.addEventListener("DOMContentLoaded", function () {
    var theme = document.getElementById("theme-toggle");
    if (theme) {
      theme.addEventListener("click", function () {
        var next = root.getAttribute("data-theme") === "dark" ? "light" : "dark";
        root.setAttribute("data-theme", next);
        localStorage.setItem("mcpgw-theme", next);
      });
    }
    var sidebarToggle = document.getElementById("sidebar-toggle");
    var setSidebar = function (collapsed) {
      document.body.classList.toggle("sidebar-collapsed", collapsed);
      if (sidebarToggle) { sidebarToggle.setAttribute("aria-expanded", String(!collapsed)); }
    };
    setSidebar(localStorage.getItem("mcpgw-sidebar") === "collapsed");
    if (sidebarToggle) {
      sidebarToggle.addEventListener("click", function () {
        var collapsed = !document.body.classList.contains("sidebar-collapsed");
        setSidebar(collapsed);
        localStorage.setItem("mcpgw-sidebar", collapsed ? "collapsed" : "open");
      });
    }

    var cards = Array.prototype.slice.call(document.querySelectorAll(".card"));
    var search = document.getElementById("search");
    // Tool names and descriptions come from search-index.json, loaded on first use; until it arrives (or
    // where it cannot be fetched, as from file://) cards match on their own words.
    var toolText = {};
    var indexRequested = false;
    var loadIndex = function () {
      if (indexRequested || !window.fetch) { return; }
      indexRequested = true;
      fetch("search-index.json").then(function (response) { return response.ok ? response.json() : null; })
        .then(function (index) {
          if (!index) { return; }
          index.servers.forEach(function (server) {
            toolText[server.id] = server.tools.map(function (tool) { return tool.text; }).join(" ");
          });
          apply();
        }).catch(function () { /* cards keep matching on their own words */ });
    };
    var count = document.getElementById("result-count");
    var filter = "all";
    var matchesFilter = function (card) {
      var enabled = card.getAttribute("data-enabled") === "true";
      var health = card.getAttribute("data-health");
      if (filter === "enabled") { return enabled; }
      if (filter === "disabled") { return !enabled; }
      if (filter === "issues") { return enabled && health !== "healthy"; }
      return true;
    };
    var apply = function () {
      var words = search ? search.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
      var shown = 0;
      cards.forEach(function (card) {
        var text = card.getAttribute("data-search") + " " + (toolText[card.getAttribute("data-id")] || "");
        var visible = matchesFilter(card) && words.every(function (word) { return text.indexOf(word) >= 0; });
        card.hidden = !visible;
        if (visible) { shown++; }
      });
      if (count) { count.textContent = shown + (shown === 1 ? " server" : " servers"); }
    };
    Array.prototype.forEach.call(document.querySelectorAll(".filter"), function (button) {
      button.addEventListener("click", function () {
        filter = button.getAttribute("data-filter");
        Array.prototype.forEach.call(document.querySelectorAll(".filter"), function (other) {
          other.classList.toggle("active", other === button);
          other.setAttribute("aria-pressed", String(other === button));
        });
        apply();
      });
    });
    if (search) {
      search.addEventListener("focus", loadIndex);
      search.addEventListener("input", function () { loadIndex(); apply(); });
    }

    // Live status: with a runtime, badges, counts and filters follow WS /ws/health_status
    // ({"/path": {"status", "last_checked_iso", "num_tools"}}, full map first, then changes), reconnecting
    // with backoff.
    var wsUrl = document.body.getAttribute("data-status-ws");
    var built = document.getElementById("built");
    var recount = function () {
      var counts = { all: 0, enabled: 0, disabled: 0, issues: 0, healthy: 0 };
      cards.forEach(function (card) {
        var enabled = card.getAttribute("data-enabled") === "true";
        var health = card.getAttribute("data-health");
        counts.all++;
        counts[enabled ? "enabled" : "disabled"]++;
        if (health === "healthy") { counts.healthy++; }
        if (enabled && health !== "healthy") { counts.issues++; }
      });
      Object.keys(counts).forEach(function (name) {
        var element = document.getElementById("count-" + name);
        if (element) { element.textContent = String(counts[name]); }
      });
    };
    var update = function (path, entry) {
      var card = document.querySelector(".card[data-id=\"" + path.substring(1) + "\"]");
      if (!card || !entry) { return; }
      card.setAttribute("data-health", entry.status);
      card.setAttribute("data-enabled", String(entry.status !== "disabled"));
      var badge = card.querySelector("[data-role=health]");
      if (badge) { badge.textContent = entry.status; badge.className = "badge health-" + entry.status; }
      var tools = card.querySelector("[data-role=tools]");
      if (tools) { tools.textContent = String(entry.num_tools); }
      var checked = card.querySelector("[data-role=checked]");
      if (checked && entry.last_checked_iso) { checked.textContent = entry.last_checked_iso; }
    };
    var delay = 1000;
    var connect = function () {
      var socket;
      try { socket = new WebSocket(wsUrl); } catch (e) { return; }
      socket.onopen = function () {
        delay = 1000;
        if (built) { built.textContent = "Live status"; }
      };
      socket.onmessage = function (event) {
        var changes = JSON.parse(event.data);
        Object.keys(changes).forEach(function (path) { update(path, changes[path]); });
        recount();
        apply();
      };
      socket.onclose = function () {
        if (built) { built.textContent = "Live status lost; reconnecting…"; }
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30000);
      };
    };
    if (wsUrl && window.WebSocket) { connect(); }

    // Signed-in controls: only with a runtime. Everything is read back from the runtime (text only, never
    // HTML); changes carry the session's CSRF token.
    var runtime = document.body.getAttribute("data-runtime");
    if (runtime !== null && window.fetch) { manage(runtime); }

    Array.prototype.forEach.call(document.querySelectorAll(".copy"), function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        if (source && navigator.clipboard) {
          navigator.clipboard.writeText(source.textContent).then(function () { button.textContent = "Copied"; });
        }
      });
    });
  });
  function manage(runtime) {
    var session = null;
    var notice = document.getElementById("notice");
    var say = function (text) {
      if (!notice) { return; }
      notice.textContent = text;
      notice.hidden = false;
    };
    var call = function (method, path, body) {
      var headers = { "Accept": "application/json" };
      if (body !== undefined) { headers["Content-Type"] = "application/json"; }
      if (session && session.csrf_token) { headers["X-CSRF-Token"] = session.csrf_token; }
      return fetch(runtime + path, {
        method: method, credentials: "include", headers: headers,
        body: body === undefined ? undefined : JSON.stringify(body)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          if (!response.ok) {
            var error = new Error(json.message || ("the runtime answered " + response.status));
            error.problems = json.problems || [];
            throw error;
          }
          return json;
        });
      });
    };
    var showError = function (form, error) {
      var box = form.querySelector("[data-role=error]");
      if (!box) { say(error.message); return; }
      box.textContent = "";
      [error.message].concat(error.problems.length > 1 ? error.problems : []).forEach(function (line) {
        var item = document.createElement("div");
        item.textContent = line;
        box.appendChild(item);
      });
    };
    var fields = function (form) {
      var values = {};
      Array.prototype.forEach.call(form.elements, function (element) {
        if (element.name) { values[element.name] = element.value; }
      });
      return values;
    };
    var dialog = function (id) {
      var element = document.getElementById(id);
      if (!element) { return null; }
      Array.prototype.forEach.call(element.querySelectorAll("[data-close]"), function (button) {
        button.addEventListener("click", function () { element.close(); });
      });
      return element;
    };
    var account = document.getElementById("account");
    var signinDialog = dialog("signin-dialog");
    var registerDialog = dialog("register-dialog");
    var editDialog = dialog("edit-dialog");
    var show = function () {
      var signedIn = !!(session && session.signed_in);
      var admin = signedIn && session.admin;
      if (account) { account.hidden = false; }
      document.getElementById("account-user").textContent = signedIn ? session.user : "";
      document.getElementById("signin-open").hidden = signedIn;
      document.getElementById("signout").hidden = !signedIn;
      Array.prototype.forEach.call(document.querySelectorAll(".admin-only"), function (element) { element.hidden = !admin; });
      Array.prototype.forEach.call(document.querySelectorAll(".signed-in-only"), function (element) { element.hidden = !signedIn; });
    };
    var refreshSession = function () {
      return call("GET", "/api/session").then(function (json) { session = json; show(); });
    };
    refreshSession().catch(function () { /* no runtime reachable from here: the page stays read-only */ });

    document.getElementById("signin-open").addEventListener("click", function () { signinDialog.showModal(); });
    document.getElementById("signout").addEventListener("click", function () {
      call("POST", "/logout", {}).then(function () { session = null; show(); say("Signed out."); })
        .catch(function (error) { say(error.message); });
    });
    document.getElementById("signin-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var form = event.target;
      call("POST", "/login", fields(form)).then(function (json) {
        session = json;
        form.reset();
        signinDialog.close();
        show();
        say("Signed in as " + json.user + ".");
      }).catch(function (error) { showError(form, error); });
    });

    var idOf = function (element) {
      var holder = element.closest("[data-id]");
      return holder ? holder.getAttribute("data-id") : null;
    };
    var enabledOf = function (element) {
      var card = element.closest(".card");
      return card ? card.getAttribute("data-enabled") === "true" : element.getAttribute("data-enabled") === "true";
    };
    Array.prototype.forEach.call(document.querySelectorAll("[data-action=toggle]"), function (button) {
      button.addEventListener("click", function () {
        var id = idOf(button);
        var enable = !enabledOf(button);
        button.disabled = true;
        call("POST", "/toggle/" + id, { enabled: enable }).then(function () {
          button.setAttribute("data-enabled", String(enable));
          var card = button.closest(".card");
          if (card) { card.setAttribute("data-enabled", String(enable)); }
          button.textContent = enable ? "Disable" : "Enable";
          say((enable ? "Enabled /" : "Disabled /") + id + ".");
        }).catch(function (error) { say(error.message); })
          .then(function () { button.disabled = false; });
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-action=refresh]"), function (button) {
      button.addEventListener("click", function () {
        var id = idOf(button);
        call("POST", "/api/refresh/" + id, {}).then(function (json) {
          say("/" + id + " is " + json.status + " with " + json.num_tools + " tools.");
        }).catch(function (error) { say(error.message); });
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-action=delete]"), function (button) {
      button.addEventListener("click", function () {
        var id = idOf(button);
        if (!window.confirm("Delete /" + id + " from the registry? This commits its removal to Git.")) { return; }
        call("POST", "/delete/" + id, {}).then(function () { say("Deleted /" + id + "."); })
          .catch(function (error) { say(error.message); });
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-action=edit]"), function (button) {
      button.addEventListener("click", function () {
        var form = document.getElementById("edit-form");
        call("GET", "/api/server_details/" + idOf(button)).then(function (details) {
          Array.prototype.forEach.call(form.elements, function (element) {
            if (!element.name) { return; }
            var value = details[element.name];
            element.value = Array.isArray(value) ? value.join(", ") : (value === undefined || value === null ? "" : value);
          });
          editDialog.showModal();
        }).catch(function (error) { say(error.message); });
      });
    });
    var editForm = document.getElementById("edit-form");
    if (editForm) {
      editForm.addEventListener("submit", function (event) {
        event.preventDefault();
        var id = document.querySelector(".admin-actions").getAttribute("data-id");
        call("POST", "/edit/" + id, fields(editForm)).then(function () {
          editDialog.close();
          say("Saved /" + id + ". The page shows the new text after the site is rebuilt.");
        }).catch(function (error) { showError(editForm, error); });
      });
    }
    var registerOpen = document.getElementById("register-open");
    if (registerOpen) {
      registerOpen.addEventListener("click", function () { registerDialog.showModal(); });
      document.getElementById("register-form").addEventListener("submit", function (event) {
        event.preventDefault();
        var form = event.target;
        call("POST", "/register", fields(form)).then(function (json) {
          form.reset();
          registerDialog.close();
          say("Registered " + json.path + " (disabled); commit " + json.commit.substring(0, 12) + ".");
        }).catch(function (error) { showError(form, error); });
      });
    }
  }
})();
