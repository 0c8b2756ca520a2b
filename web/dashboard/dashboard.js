/* The staff dashboard: draws the report that /api/report serves (tanya.analytics computes every
 * number; this file only shows them) with Chart.js from /assets/chart.umd.js. Labels come from
 * /api/labels (data/messages/dashboard.yml), in Indonesian or English. Every text is inserted with
 * textContent, never as HTML. */
(function () {
  "use strict";

  var LANG_KEY = "tanya-dashboard-lang";
  var COLORS = {
    containment: "#0a7d4f",
    handoff: "#d9822b",
    fallback: "#c23b3b",
    abandoned: "#7a6fb0",
    up: "#0a7d4f",
    down: "#c23b3b",
    funnel: "#1f6fb2",
  };
  var state = { labels: null, languages: ["id", "en"], lang: "id", report: null, charts: {} };

  function $(id) {
    return document.getElementById(id);
  }

  function t(key, values) {
    var labels = (state.labels && state.labels[state.lang]) || {};
    var text = Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }

  function locale() {
    return state.lang === "en" ? "en-GB" : "id-ID";
  }

  function percent(fraction) {
    return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(fraction || 0);
  }

  function number(value) {
    return new Intl.NumberFormat(locale()).format(value || 0);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function toLogin() {
    window.location.assign("/login?lang=" + encodeURIComponent(state.lang));
  }

  function setStatus(text, isError) {
    var status = $("status");
    status.textContent = text || "";
    status.className = "status" + (isError ? " error" : "");
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (response.status === 401) {
        toLogin();
        throw new Error("login");
      }
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body && body.error ? body.error : t("load_failed"));
        return body;
      });
    });
  }

  // -- labels and language -------------------------------------------------------------------

  function applyLabels() {
    document.documentElement.lang = state.lang;
    document.title = t("title");
    document.querySelectorAll("[data-label]").forEach(function (node) {
      node.textContent = t(node.getAttribute("data-label"));
    });
    document.querySelectorAll("[data-lang]").forEach(function (button) {
      var active = button.getAttribute("data-lang") === state.lang;
      button.classList.toggle("active", active);
      button.setAttribute("aria-pressed", active ? "true" : "false");
    });
    document.querySelector("#logout-form input[name=lang]").value = state.lang;
  }

  function setLanguage(language) {
    if (state.languages.indexOf(language) < 0) return;
    state.lang = language;
    try {
      window.localStorage.setItem(LANG_KEY, language);
    } catch (ignored) {
      /* storage may be off: the choice lasts for this page only */
    }
    applyLabels();
    if (state.report) render(state.report);
  }

  // -- filters -------------------------------------------------------------------------------

  function fillSelect(select, values, anyLabel, labelOf) {
    var chosen = select.getAttribute("data-chosen") || "";
    select.textContent = "";
    var any = el("option", null, anyLabel);
    any.value = "";
    select.appendChild(any);
    values.forEach(function (value) {
      var option = el("option", null, labelOf ? labelOf(value) : value);
      option.value = value;
      select.appendChild(option);
    });
    if (chosen && values.indexOf(chosen) < 0) {
      var kept = el("option", null, chosen);
      kept.value = chosen;
      select.appendChild(kept);
    }
    select.value = chosen;
  }

  function languageName(code) {
    var name = t("language_" + code);
    return name === "language_" + code ? code : name;
  }

  function query() {
    var parameters = new URLSearchParams();
    ["since", "until", "channel", "language"].forEach(function (name) {
      var node = $(name);
      var value = node.tagName === "SELECT" ? node.getAttribute("data-chosen") || "" : node.value;
      if (value) parameters.set(name, value);
    });
    return parameters;
  }

  // -- drawing -------------------------------------------------------------------------------

  function kpi(label, value, detail, modifier) {
    var card = el("div", "kpi" + (modifier ? " " + modifier : ""));
    card.appendChild(el("span", "kpi-label", label));
    card.appendChild(el("strong", "kpi-value", value));
    if (detail) card.appendChild(el("span", "kpi-detail", detail));
    return card;
  }

  function renderKpis(report) {
    var box = $("kpis");
    box.textContent = "";
    box.appendChild(kpi(t("sessions"), number(report.sessions), t("user_turns") + ": " + number(report.user_turns)));
    box.appendChild(
      kpi(t("containment_rate"), percent(report.containment_rate), t("contained") + ": " + number(report.contained), "good")
    );
    box.appendChild(kpi(t("handoff_rate"), percent(report.handoff_rate), t("handoffs") + ": " + number(report.handoffs), "warn"));
    box.appendChild(
      kpi(t("abandonment_rate"), percent(report.abandonment_rate), t("abandoned") + ": " + number(report.abandoned))
    );
    box.appendChild(
      kpi(t("fallback_rate"), percent(report.fallback_rate), t("fallback_turns") + ": " + number(report.fallback_turns), "bad")
    );
    box.appendChild(
      kpi(t("csat"), csatText(report.csat, report.rated), t("rated_of", { rated: report.rated, answers: report.answers }), "good")
    );
  }

  function chart(id, config) {
    if (state.charts[id]) state.charts[id].destroy();
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options || {});
    state.charts[id] = new window.Chart($(id), config);
  }

  function percentAxis() {
    return {
      min: 0,
      max: 100,
      ticks: {
        callback: function (value) {
          return value + " %";
        },
      },
    };
  }

  function renderRates(report) {
    var days = report.daily.map(function (row) {
      return row.day;
    });
    function series(key, label, color) {
      return {
        label: label,
        data: report.daily.map(function (row) {
          return Math.round(row[key] * 1000) / 10;
        }),
        borderColor: color,
        backgroundColor: color,
        tension: 0,  // straight lines: a curve would suggest values between the days
        pointRadius: 4,
      };
    }
    chart("chart-rates", {
      type: "line",
      data: {
        labels: days,
        datasets: [
          series("containment_rate", t("containment_rate"), COLORS.containment),
          series("handoff_rate", t("handoff_rate"), COLORS.handoff),
          series("fallback_rate", t("fallback_rate"), COLORS.fallback),
        ],
      },
      options: { scales: { y: percentAxis() }, plugins: { legend: { position: "bottom" } } },
    });
  }

  function stepLabel(step) {
    if (step.indexOf("reg_") === 0) return t("field_" + step);
    return t("step_" + step);
  }

  function renderFunnel(report) {
    var select = $("funnel-segment");
    var segments = Object.keys(report.funnel.by_segment);
    var chosen = segments.indexOf(select.value) >= 0 ? select.value : "";
    select.textContent = "";
    var all = el("option", null, t("any_segment"));
    all.value = "";
    select.appendChild(all);
    segments.forEach(function (segment) {
      var option = el("option", null, segment.toUpperCase());
      option.value = segment;
      select.appendChild(option);
    });
    select.value = chosen;
    // One segment's funnel follows its own fields; "all" mixes the segments' fields.
    var funnel = chosen ? report.funnel.by_segment[chosen] : report.funnel;
    var labels = [t("started")];
    var values = [funnel.started];
    funnel.fields.forEach(function (field) {
      labels.push(t("field_" + field.field));
      values.push(field.sessions);
    });
    ["summary_shown", "confirmed", "submitted"].forEach(function (key) {
      labels.push(t(key));
      values.push(funnel[key]);
    });
    chart("chart-funnel", {
      type: "bar",
      data: { labels: labels, datasets: [{ label: t("sessions"), data: values, backgroundColor: COLORS.funnel }] },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } },
    });
    fillTable($("drop-off"), [t("drop_off"), t("count")], funnel.drop_off.map(function (drop) {
      return [stepLabel(drop.step), number(drop.sessions)];
    }));
    fillTable($("outcomes"), [t("outcomes"), t("count")], Object.keys(funnel.outcomes).map(function (outcome) {
      return [t("outcome_" + outcome), number(funnel.outcomes[outcome])];
    }));
  }

  function renderCsat(report) {
    chart("chart-csat", {
      type: "bar",
      data: {
        labels: report.daily.map(function (row) {
          return row.day;
        }),
        datasets: [
          { label: t("up"), data: report.daily.map(function (row) { return row.up; }), backgroundColor: COLORS.up },
          { label: t("down"), data: report.daily.map(function (row) { return row.down; }), backgroundColor: COLORS.down },
        ],
      },
      options: {
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
    $("csat-note").textContent =
      t("csat") + ": " + percent(report.csat) + " · " + t("response_rate") + ": " + percent(report.rating_response_rate);
  }

  function fillTable(table, headers, rows, rowClass) {
    table.textContent = "";
    var head = el("thead");
    var headRow = el("tr");
    headers.forEach(function (header) {
      headRow.appendChild(el("th", null, header));
    });
    head.appendChild(headRow);
    table.appendChild(head);
    var body = el("tbody");
    if (!rows.length) {
      var empty = el("tr");
      var cell = el("td", "empty", t("none"));
      cell.colSpan = headers.length;
      empty.appendChild(cell);
      body.appendChild(empty);
    }
    rows.forEach(function (row) {
      var line = el("tr", rowClass || null);
      row.forEach(function (value) {
        line.appendChild(el("td", null, value));
      });
      body.appendChild(line);
    });
    table.appendChild(body);
  }

  // Without a rating there is no CSAT to show (the report's 0 would read as "all unhelpful").
  function csatText(csat, rated) {
    return rated ? percent(csat) : "–";
  }

  function renderTables(report) {
    fillTable(
      $("unanswered"),
      [t("count"), t("question"), t("variants"), t("languages")],
      report.top_unanswered.map(function (item) {
        var languages = Object.keys(item.languages).map(function (code) {
          return languageName(code) + " " + item.languages[code];
        });
        return [number(item.count), item.example, number(item.variants), languages.join(", ")];
      }),
      "unanswered-item"
    );
    fillTable(
      $("answers"),
      [t("topic"), t("segment"), t("count"), t("up"), t("down"), t("csat")],
      report.answers_by_topic_segment.map(function (row) {
        return [row.topic, row.segment, number(row.answers), number(row.up), number(row.down), csatText(row.csat, row.up + row.down)];
      })
    );
    fillTable(
      $("by-day"),
      [t("day"), t("channel"), t("language"), t("sessions"), t("containment_rate"), t("handoff_rate"), t("fallback_rate"), t("csat")],
      report.by_day.map(function (row) {
        return [
          row.day, row.channel, languageName(row.language), number(row.sessions), percent(row.containment_rate),
          percent(row.handoff_rate), percent(row.fallback_rate), csatText(row.csat, row.rated),
        ];
      })
    );
  }

  function render(report) {
    var period = report.period;
    $("since").value = period.since || "";
    $("until").value = period.until || "";
    fillSelect($("channel"), report.available.channels, t("any_channel"));
    fillSelect($("language"), report.available.languages, t("any_language"), languageName);
    $("as-of").textContent = t("as_of") + " " + period.as_of.replace("T", " ") + " (" + period.timezone + ")";
    renderKpis(report);
    renderRates(report);
    renderFunnel(report);
    renderCsat(report);
    renderTables(report);
    $("content").hidden = false;
    document.body.setAttribute("data-ready", "true");
  }

  function load() {
    var parameters = query();
    parameters.set("lang", state.lang);
    setStatus(t("loading"));
    return fetchJson("/api/report?" + parameters.toString())
      .then(function (report) {
        state.report = report;
        setStatus("");
        render(report);
      })
      .catch(function (error) {
        if (error.message !== "login") setStatus(error.message || t("load_failed"), true);
      });
  }

  function start() {
    var params = new URLSearchParams(window.location.search);
    var stored = null;
    try {
      stored = window.localStorage.getItem(LANG_KEY);
    } catch (ignored) {
      stored = null;
    }
    state.lang = params.get("lang") || stored || "id";
    ["since", "until"].forEach(function (name) {
      if (params.get(name)) $(name).value = params.get(name);
    });
    ["channel", "language"].forEach(function (name) {
      $(name).setAttribute("data-chosen", params.get(name) || "");
      $(name).addEventListener("change", function () {
        $(name).setAttribute("data-chosen", $(name).value);
      });
    });
    document.querySelectorAll("[data-lang]").forEach(function (button) {
      button.addEventListener("click", function () {
        setLanguage(button.getAttribute("data-lang"));
      });
    });
    $("funnel-segment").addEventListener("change", function () {
      if (state.report) renderFunnel(state.report);
    });
    $("filters").addEventListener("submit", function (event) {
      event.preventDefault();
      var parameters = query();
      parameters.set("lang", state.lang);
      window.history.replaceState(null, "", "/?" + parameters.toString());
      load();
    });
    fetchJson("/api/labels")
      .then(function (body) {
        state.labels = body.labels;
        state.languages = body.languages;
        if (state.languages.indexOf(state.lang) < 0) state.lang = state.languages[0];
        applyLabels();
        return load();
      })
      .catch(function (error) {
        if (error.message !== "login") setStatus(error.message || "Error", true);
      });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
