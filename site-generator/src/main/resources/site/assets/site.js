// The registry site's behaviour. Plain JavaScript, no dependencies.
// - Everywhere (also a static snapshot from file:// or any host): theme and sidebar remembered in localStorage,
//   filters and word search over the cards, times shown as "12 s ago" with the exact time on hover.
// - Served by the runtime (body[data-live]): the page follows the registry feed WS /ws/registry. It first gets
//   the version of every server the visitor may see, then the changes; a card or server page whose version moved
//   is fetched again (as the runtime renders it for this visitor) and swapped in, a removed one disappears, a
//   new one is inserted in id order. The search box also asks the runtime's ranking for tools (/api/search).
// - A snapshot built with a runtime URL (body[data-status-ws]) follows its live status badges only.
// Everything from the network is inserted as text, except HTML the runtime rendered (escaped) for this page.
(function () {
  "use strict";
  var root = document.documentElement;
  var stored = localStorage.getItem("mcpgw-theme");
  if (stored === "dark" || stored === "light") { root.setAttribute("data-theme", stored); }

  var each = function (selector, action, within) {
    Array.prototype.forEach.call((within || document).querySelectorAll(selector), action);
  };

  // "12 s ago" for every <time>, the exact time (printed by the page) kept as its title.
  var ago = function (iso) {
    var seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (isNaN(seconds)) { return null; }
    if (seconds < 5) { return "just now"; }
    if (seconds < 60) { return seconds + " s ago"; }
    if (seconds < 3600) { return Math.floor(seconds / 60) + " min ago"; }
    if (seconds < 86400) { return Math.floor(seconds / 3600) + " h ago"; }
    return Math.floor(seconds / 86400) + " d ago";
  };
  var showTimes = function (within) {
    each("time[datetime]", function (time) {
      var text = ago(time.getAttribute("datetime"));
      if (text !== null) { time.textContent = text; }
    }, within);
  };

  document.addEventListener("DOMContentLoaded", function () {
    var body = document.body;
    var live = body.getAttribute("data-live") === "true";
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
      body.classList.toggle("sidebar-collapsed", collapsed);
      if (sidebarToggle) { sidebarToggle.setAttribute("aria-expanded", String(!collapsed)); }
    };
    setSidebar(localStorage.getItem("mcpgw-sidebar") === "collapsed");
    if (sidebarToggle) {
      sidebarToggle.addEventListener("click", function () {
        var collapsed = !body.classList.contains("sidebar-collapsed");
        setSidebar(collapsed);
        localStorage.setItem("mcpgw-sidebar", collapsed ? "collapsed" : "open");
      });
    }
    showTimes();
    setInterval(showTimes, 5000);

    // ---- the index: filters, word search, statistics ----
    var cardsEl = document.getElementById("cards");
    var cards = function () { return Array.prototype.slice.call(document.querySelectorAll(".card")); };
    var search = document.getElementById("search");
    // Tool names and descriptions come from search-index.json, loaded on first use; until it arrives (or where
    // it cannot be fetched, as from file://) cards match on their own words. A live page loads it again after
    // changes, when it is next used.
    var toolText = {};
    var indexState = "none";
    var loadIndex = function () {
      if (indexState !== "none" || !window.fetch) { return; }
      indexState = "loading";
      fetch("search-index.json", { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (index) {
          indexState = "loaded";
          if (!index) { return; }
          toolText = {};
          index.servers.forEach(function (server) {
            toolText[server.id] = server.tools.map(function (tool) { return tool.text; }).join(" ");
          });
          apply();
        }).catch(function () { indexState = "none"; });
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
      cards().forEach(function (card) {
        var text = card.getAttribute("data-search") + " " + (toolText[card.getAttribute("data-id")] || "");
        var visible = matchesFilter(card) && words.every(function (word) { return text.indexOf(word) >= 0; });
        card.hidden = !visible;
        if (visible) { shown++; }
      });
      if (count) { count.textContent = shown + (shown === 1 ? " server" : " servers"); }
    };
    var recount = function () {
      var counts = { all: 0, enabled: 0, disabled: 0, issues: 0, healthy: 0, tools: 0 };
      cards().forEach(function (card) {
        var enabled = card.getAttribute("data-enabled") === "true";
        var health = card.getAttribute("data-health");
        counts.all++;
        counts[enabled ? "enabled" : "disabled"]++;
        if (health === "healthy") { counts.healthy++; }
        if (enabled && health !== "healthy") { counts.issues++; }
        counts.tools += parseInt(card.getAttribute("data-tools"), 10) || 0;
      });
      Object.keys(counts).forEach(function (name) {
        var element = document.getElementById("count-" + name);
        if (element) { element.textContent = String(counts[name]); }
      });
    };
    each(".filter", function (button) {
      button.addEventListener("click", function () {
        filter = button.getAttribute("data-filter");
        each(".filter", function (other) {
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
    document.addEventListener("click", function (event) {
      var button = event.target.closest(".copy");
      if (!button) { return; }
      var source = document.getElementById(button.getAttribute("data-copy"));
      var text = source ? source.textContent : button.getAttribute("data-text");
      if (text !== null && navigator.clipboard) {
        navigator.clipboard.writeText(text).then(function () { button.textContent = "Copied"; });
      }
    });

    var runtime = body.getAttribute("data-runtime");
    var state = { session: null, changed: function () {} };
    if (runtime !== null && window.fetch) { manage(runtime, state); }

    var built = document.getElementById("built");
    var follow = function (url, onMessage, liveText) {
      var delay = 1000;
      var connect = function () {
        var socket;
        try { socket = new WebSocket(url); } catch (e) { return; }
        socket.onopen = function () { delay = 1000; if (built) { built.textContent = liveText; } };
        socket.onmessage = function (event) { onMessage(JSON.parse(event.data)); };
        socket.onclose = function () {
          if (built) { built.textContent = "Live updates lost; reconnecting…"; }
          setTimeout(connect, delay);
          delay = Math.min(delay * 2, 30000);
        };
      };
      if (window.WebSocket) { connect(); }
    };

    if (live) {
      followRegistry();
    } else if (body.getAttribute("data-status-ws")) {
      // A snapshot pointed at a runtime: badges, counts and filters follow WS /ws/health_status
      // ({"/path": {"status", "last_checked_iso", "num_tools"}}, full map first, then changes).
      follow(body.getAttribute("data-status-ws"), function (changes) {
        Object.keys(changes).forEach(function (path) {
          var card = document.querySelector(".card[data-id=\"" + path.substring(1) + "\"]");
          var entry = changes[path];
          if (!card || !entry) { return; }
          card.setAttribute("data-health", entry.status);
          card.setAttribute("data-enabled", String(entry.status !== "disabled"));
          card.setAttribute("data-tools", String(entry.num_tools));
          var badge = card.querySelector("[data-role=health]");
          if (badge) { badge.textContent = entry.status; badge.className = "badge health-" + entry.status; }
          var tools = card.querySelector("[data-role=tools]");
          if (tools) { tools.textContent = String(entry.num_tools); }
          setChecked(card, entry.last_checked_iso);
        });
        recount();
        apply();
      }, "Live status");
    }

    function setChecked(holder, iso) {
      var checked = holder.querySelector("[data-role=checked]");
      if (!checked || !iso) { return; }
      var time = checked.querySelector("time");
      if (!time) {
        checked.textContent = "";
        time = document.createElement("time");
        checked.appendChild(time);
      }
      time.setAttribute("datetime", iso);
      time.setAttribute("title", iso.replace("T", " ").replace(/\.\d+/, "").replace("Z", " UTC"));
      time.textContent = ago(iso) || iso;
    }

    // The live registry: {"type":"state"|"changes","servers":{"id":{"version","health","checked"}|null}}.
    function followRegistry() {
      var page = document.getElementById("server-page");
      var pending = {};
      var fetchCard = function (id) {
        if (pending[id]) { return; }
        pending[id] = true;
        fetch("/site/cards/" + encodeURIComponent(id), { credentials: "same-origin" }).then(function (response) {
          if (response.status === 404) { return null; }
          if (!response.ok) { throw new Error("the runtime answered " + response.status); }
          return response.text();
        }).then(function (html) {
          var old = document.querySelector(".card[data-id=\"" + id + "\"]");
          if (html === null) {
            if (old) { old.remove(); }
          } else {
            var holder = document.createElement("template");
            holder.innerHTML = html.trim();
            var card = holder.content.firstElementChild;
            if (old) {
              old.replaceWith(card);
            } else {
              var after = cards().filter(function (other) { return other.getAttribute("data-id") > id; })[0];
              cardsEl.insertBefore(card, after || null);
            }
            showTimes(card);
          }
          indexState = indexState === "loaded" ? "none" : indexState;
          state.changed();
          recount();
          apply();
        }).catch(function () { /* the next change or reconnect brings it */ })
          .then(function () { delete pending[id]; });
      };
      var pageLoading = false;
      var reloadPage = function () {
        if (pageLoading) { return; }
        pageLoading = true;
        fetch(location.pathname, { credentials: "same-origin" }).then(function (response) {
          return response.text();
        }).then(function (html) {
          var next = new DOMParser().parseFromString(html, "text/html");
          var main = next.getElementById("server-page");
          var current = document.getElementById("server-page");
          var dialogOpen = current && current.querySelector("dialog[open]");
          if (main && current && !dialogOpen) {
            current.replaceWith(document.adoptNode(main));
            document.title = next.title;
            showTimes(main);
            state.changed();
          }
        }).catch(function () { /* the next change or reconnect brings it */ })
          .then(function () { pageLoading = false; });
      };
      var onServer = function (id, entry, complete) {
        if (page) {
          var shown = document.getElementById("server-page");
          if (id !== shown.getAttribute("data-id")) { return; }
          var version = parseInt(shown.getAttribute("data-version"), 10) || 0;
          var missing = shown.getAttribute("data-missing") === "true";
          if (entry === null ? !missing : (missing || entry.version > version)) {
            reloadPage();
          } else if (entry) {
            setChecked(shown, entry.checked);
            var latency = shown.querySelector("[data-role=latency]");
            if (latency && entry.latency_ms !== null) { latency.textContent = entry.latency_ms + " ms"; }
          }
          return;
        }
        if (!cardsEl) { return; }
        var card = document.querySelector(".card[data-id=\"" + id + "\"]");
        if (entry === null) {
          if (card) { card.remove(); }
          return;
        }
        if (!card || entry.version > (parseInt(card.getAttribute("data-version"), 10) || 0)) {
          fetchCard(id);
        } else {
          setChecked(card, entry.checked);
        }
      };
      follow((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/registry", function (message) {
        var servers = message.servers || {};
        if (message.type === "state") {
          // What the page shows but the registry no longer has (or this visitor may no longer see) goes.
          if (cardsEl) {
            cards().forEach(function (card) {
              if (!Object.prototype.hasOwnProperty.call(servers, card.getAttribute("data-id"))) { card.remove(); }
            });
          }
          if (page) {
            var id = document.getElementById("server-page").getAttribute("data-id");
            if (!Object.prototype.hasOwnProperty.call(servers, id)) { onServer(id, null); }
          }
        }
        Object.keys(servers).forEach(function (id) { onServer(id, servers[id]); });
        recount();
        apply();
      }, "Live");
      if (search && document.getElementById("tool-results")) { toolSearch(); }
    }

    // Tools by meaning: the runtime's ranking (the same as /api/search and intelligent_tool_finder), limited to
    // what the visitor may see; the cards below keep filtering by words.
    function toolSearch() {
      var panel = document.getElementById("tool-results");
      var list = panel.querySelector("[data-role=list]");
      var status = panel.querySelector("[data-role=status]");
      var timer = null;
      var asked = 0;
      var render = function (query, answer) {
        list.textContent = "";
        panel.querySelector("[data-role=query]").textContent = query;
        status.textContent = answer.results.length === 0 ? "No tool matches this need." : "";
        answer.results.forEach(function (match, index) {
          var item = document.createElement("li");
          item.className = "tool-match";
          var head = document.createElement("p");
          var name = document.createElement("code");
          name.textContent = match.tool_name;
          head.appendChild(name);
          head.appendChild(document.createTextNode(" on "));
          var server = document.createElement("a");
          server.href = "servers/" + encodeURIComponent(match.server_id) + ".html";
          server.textContent = match.server_name + " (" + match.server_path + ")";
          head.appendChild(server);
          var score = document.createElement("span");
          score.className = "score";
          score.textContent = "score " + match.score.toFixed(2);
          head.appendChild(score);
          item.appendChild(head);
          var description = document.createElement("p");
          description.className = "description";
          description.textContent = match.description || "";
          item.appendChild(description);
          var schema = document.createElement("details");
          var summary = document.createElement("summary");
          summary.textContent = "Input schema";
          var pre = document.createElement("pre");
          pre.textContent = JSON.stringify(match.input_schema || {}, null, 2);
          schema.appendChild(summary);
          schema.appendChild(pre);
          item.appendChild(schema);
          if (match.gateway_url) {
            var config = { mcpServers: {} };
            config.mcpServers[match.server_id] = { url: match.gateway_url };
            var copy = document.createElement("button");
            copy.type = "button";
            copy.className = "copy";
            copy.textContent = "Copy client configuration";
            copy.setAttribute("data-text", JSON.stringify(config, null, 2));
            item.appendChild(copy);
          }
          item.setAttribute("data-rank", String(index + 1));
          list.appendChild(item);
        });
      };
      var ask = function () {
        var query = search.value.trim();
        var mine = ++asked;
        if (query.length < 3) { panel.hidden = true; return; }
        panel.hidden = false;
        panel.querySelector("[data-role=query]").textContent = query;
        if (!(state.session && state.session.signed_in)) {
          list.textContent = "";
          status.textContent = "Sign in to search tools by meaning; the servers below match your words.";
          return;
        }
        status.textContent = "Searching…";
        fetch("/api/search?top_k=10&q=" + encodeURIComponent(query), {
          credentials: "same-origin", headers: { "Accept": "application/json" }
        }).then(function (response) {
          return response.json().then(function (json) {
            if (!response.ok) { throw new Error(json.message || ("the runtime answered " + response.status)); }
            return json;
          });
        }).then(function (answer) {
          if (mine === asked) { render(query, answer); }
        }).catch(function (error) {
          if (mine === asked) { list.textContent = ""; status.textContent = error.message; }
        });
      };
      search.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(ask, 250);
      });
      state.onSession = ask;
    }
  });

  // Signed-in controls: only with a runtime. Everything is read back from the runtime (text only, never
  // HTML); changes carry the session's CSRF token. Buttons are found by delegation, so cards and pages the
  // live feed swaps in work as the first ones did.
  function manage(runtime, state) {
    var notice = document.getElementById("notice");
    var say = function (text) {
      if (!notice) { return; }
      notice.textContent = text;
      notice.hidden = false;
    };
    var call = function (method, path, body) {
      var headers = { "Accept": "application/json" };
      if (body !== undefined) { headers["Content-Type"] = "application/json"; }
      if (state.session && state.session.csrf_token) { headers["X-CSRF-Token"] = state.session.csrf_token; }
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
        if (element.name) { values[element.name] = element.type === "checkbox" ? String(element.checked) : element.value; }
      });
      return values;
    };
    var account = document.getElementById("account");
    var show = function (sessionChanged) {
      var session = state.session;
      var signedIn = !!(session && session.signed_in);
      var admin = signedIn && session.admin;
      if (account) { account.hidden = false; }
      document.getElementById("account-user").textContent = signedIn ? session.user : "";
      document.getElementById("signin-open").hidden = signedIn;
      document.getElementById("signout").hidden = !signedIn;
      Array.prototype.forEach.call(document.querySelectorAll(".admin-only"), function (element) { element.hidden = !admin; });
      Array.prototype.forEach.call(document.querySelectorAll(".signed-in-only"), function (element) { element.hidden = !signedIn; });
      if (sessionChanged && state.onSession) { state.onSession(); }
    };
    state.changed = function () { show(false); };
    call("GET", "/api/session").then(function (json) { state.session = json; show(true); })
      .catch(function () { /* no runtime reachable from here: the page stays read-only */ });

    document.addEventListener("click", function (event) {
      var closer = event.target.closest("[data-close]");
      if (closer) { closer.closest("dialog").close(); return; }
      if (event.target.id === "signin-open") { document.getElementById("signin-dialog").showModal(); return; }
      if (event.target.id === "register-open") { document.getElementById("register-dialog").showModal(); return; }
      if (event.target.id === "signout") {
        call("POST", "/logout", {}).then(function () { state.session = null; show(true); say("Signed out."); })
          .catch(function (error) { say(error.message); });
        return;
      }
      var button = event.target.closest("[data-action]");
      if (!button) { return; }
      var holder = button.closest("[data-id]");
      var id = holder ? holder.getAttribute("data-id") : null;
      var action = button.getAttribute("data-action");
      if (action === "toggle") {
        var card = button.closest(".card");
        var enabled = card ? card.getAttribute("data-enabled") === "true" : button.getAttribute("data-enabled") === "true";
        button.disabled = true;
        call("POST", "/toggle/" + id, { enabled: !enabled }).then(function () {
          say((enabled ? "Disabled /" : "Enabled /") + id + ".");
        }).catch(function (error) { say(error.message); })
          .then(function () { button.disabled = false; });
      } else if (action === "refresh") {
        call("POST", "/api/refresh/" + id, {}).then(function (json) {
          say("/" + id + " is " + json.status + " with " + json.num_tools + " tools.");
        }).catch(function (error) { say(error.message); });
      } else if (action === "delete") {
        if (!window.confirm("Delete /" + id + " from the registry? This commits its removal to Git.")) { return; }
        call("POST", "/delete/" + id, {}).then(function () { say("Deleted /" + id + "."); })
          .catch(function (error) { say(error.message); });
      } else if (action === "edit") {
        var form = document.getElementById("edit-form");
        call("GET", "/api/server_details/" + id).then(function (details) {
          Array.prototype.forEach.call(form.elements, function (element) {
            if (!element.name) { return; }
            var value = details[element.name];
            element.value = Array.isArray(value) ? value.join(", ") : (value === undefined || value === null ? "" : value);
          });
          document.getElementById("edit-dialog").showModal();
        }).catch(function (error) { say(error.message); });
      }
    });
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.id === "signin-form") {
        event.preventDefault();
        call("POST", "/login", fields(form)).then(function (json) {
          state.session = json;
          form.reset();
          document.getElementById("signin-dialog").close();
          show(true);
          say("Signed in as " + json.user + ".");
        }).catch(function (error) { showError(form, error); });
      } else if (form.id === "edit-form") {
        event.preventDefault();
        var id = form.closest("[data-id]").getAttribute("data-id");
        call("POST", "/edit/" + id, fields(form)).then(function () {
          document.getElementById("edit-dialog").close();
          say("Saved /" + id + ".");
        }).catch(function (error) { showError(form, error); });
      } else if (form.id === "register-form") {
        event.preventDefault();
        call("POST", "/register", fields(form)).then(function (json) {
          form.reset();
          document.getElementById("register-dialog").close();
          say("Registered " + json.path + (json.service && json.service.enabled ? "" : " (disabled)") + "; commit "
            + json.commit.substring(0, 12) + ".");
        }).catch(function (error) { showError(form, error); });
      }
    });
  }
})();
