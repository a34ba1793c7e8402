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

    Array.prototype.forEach.call(document.querySelectorAll(".copy"), function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        if (source && navigator.clipboard) {
          navigator.clipboard.writeText(source.textContent).then(function () { button.textContent = "Copied"; });
        }
      });
    });
  });
})();
