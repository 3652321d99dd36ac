/*
 * JointCheck: check a published draw record in the visitor's own browser.
 *
 * The normative description is docs/draw-algorithm.md; this file follows
 * tools/verify_draw.py step by step, so that both report the same first difference.
 * Plain ES2020, no build step and no third-party code: WebCrypto gives SHA-256 and
 * HMAC-SHA256, BigInt keeps every count and ratio exact, and a small JSON reader keeps
 * integers and fractions apart as Python's json module does.
 *
 * Page contract: <button id="verify-draw" data-record-url="..."> fetches and checks the
 * record (optional data-commitment / data-input-hash: the values announced at the freeze,
 * which the record must carry); <input type="file" id="verify-file"> checks a file the
 * visitor brings; <output id="verify-result"> receives the verdict and data-status
 * "ok", "mismatch" or "error".
 */
(function () {
  "use strict";

  const CLASSES = ["A", "B", "C", "D"];
  const CAUSES = ["sick", "left", "recusal", "other"];
  const HEX64 = /^[0-9a-fA-F]{64}$/;
  const RATIO = /^[0-9]+(\.[0-9]+)?$/;
  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  class Malformed extends Error {}
  class CannotApply extends Error {}
  class KeyMissing extends Error {} // Python's KeyError: the message is the key's repr

  /** A JSON number with a fraction or an exponent: a Python float, never an int. */
  class PyFloat {
    constructor(text) {
      this.text = text;
    }
  }

  // --- JSON, read as Python's json.loads reads it ---------------------------------------

  const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
  const PLAIN_RUN = /[^"\\\u0000-\u001f]+/y; // characters a string holds as they are
  const SIMPLE_ESCAPES = {
    '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t",
  };

  /** Integers become BigInt, other numbers PyFloat, objects have no prototype. */
  function parseJson(text) {
    let at = 0;
    const fail = (what) => {
      throw new SyntaxError(`${what} at character ${at}`);
    };
    const space = () => {
      while (at < text.length && " \t\n\r".includes(text[at])) at++;
    };
    const string = () => {
      at++; // the opening quote
      let out = "";
      for (;;) {
        if (at >= text.length) fail("unterminated string");
        const ch = text[at];
        if (ch === '"') {
          at++;
          return out;
        }
        if (ch < " ") fail("invalid control character");
        if (ch !== "\\") {
          PLAIN_RUN.lastIndex = at;
          const run = PLAIN_RUN.exec(text)[0];
          out += run;
          at += run.length;
          continue;
        }
        const esc = text[at + 1];
        if (esc === "u") {
          const digits = text.slice(at + 2, at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(digits)) fail("invalid \\u escape");
          out += String.fromCharCode(parseInt(digits, 16));
          at += 6;
        } else if (esc !== undefined && Object.prototype.hasOwnProperty.call(SIMPLE_ESCAPES, esc)) {
          out += SIMPLE_ESCAPES[esc];
          at += 2;
        } else {
          fail("invalid escape");
        }
      }
    };
    const value = () => {
      space();
      const ch = text[at];
      if (ch === "{") {
        at++;
        const obj = Object.create(null);
        space();
        if (text[at] === "}") {
          at++;
          return obj;
        }
        for (;;) {
          space();
          if (text[at] !== '"') fail("expected a key");
          const key = string();
          space();
          if (text[at] !== ":") fail("expected ':'");
          at++;
          obj[key] = value();
          space();
          if (text[at] === ",") {
            at++;
          } else if (text[at] === "}") {
            at++;
            return obj;
          } else {
            fail("expected ',' or '}'");
          }
        }
      }
      if (ch === "[") {
        at++;
        const list = [];
        space();
        if (text[at] === "]") {
          at++;
          return list;
        }
        for (;;) {
          list.push(value());
          space();
          if (text[at] === ",") {
            at++;
          } else if (text[at] === "]") {
            at++;
            return list;
          } else {
            fail("expected ',' or ']'");
          }
        }
      }
      if (ch === '"') return string();
      for (const [word, result] of [
        ["true", true],
        ["false", false],
        ["null", null],
        ["NaN", new PyFloat("NaN")],
        ["Infinity", new PyFloat("Infinity")],
        ["-Infinity", new PyFloat("-Infinity")],
      ]) {
        if (text.startsWith(word, at)) {
          at += word.length;
          return result;
        }
      }
      NUMBER.lastIndex = at;
      const m = NUMBER.exec(text);
      if (!m) fail("expected a value");
      at += m[0].length;
      return m[1] === undefined && m[2] === undefined ? BigInt(m[0]) : new PyFloat(m[0]);
    };
    const result = value();
    space();
    if (at !== text.length) fail("extra data");
    return result;
  }

  // --- Python's view of values ----------------------------------------------------------

  const isDict = (v) => v !== null && typeof v === "object" && Object.getPrototypeOf(v) === null;
  const has = (obj, key) => isDict(obj) && Object.prototype.hasOwnProperty.call(obj, key);

  const JSON_ESCAPES = {
    '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
  };

  function escapeJson(s) {
    return s.replace(
      /[\u0000-\u001f"\\]/g,
      (c) => JSON_ESCAPES[c] || "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
    );
  }

  /** json.dumps(value, ensure_ascii=False), or with separators (",", ":") when compact. */
  function dumps(v, compact) {
    const [comma, colon] = compact ? [",", ":"] : [", ", ": "];
    if (v === null || v === undefined) return "null";
    if (v === true) return "true";
    if (v === false) return "false";
    if (typeof v === "bigint" || typeof v === "number") return String(v);
    if (typeof v === "string") return '"' + escapeJson(v) + '"';
    if (v instanceof PyFloat) return v.text;
    if (Array.isArray(v)) return "[" + v.map((x) => dumps(x, compact)).join(comma) + "]";
    const items = Object.keys(v).map((k) => dumps(k, compact) + colon + dumps(v[k], compact));
    return "{" + items.join(comma) + "}";
  }

  /** repr() of a string, as a KeyError names its key. */
  function repr(s) {
    if (typeof s !== "string") return dumps(s, false);
    const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
    const body = s.replace(/[\u0000-\u001f\u007f\\'"]/g, (c) => {
      if (c === "\\") return "\\\\";
      if (c === quote) return "\\" + c;
      if (c === "'" || c === '"') return c;
      const short = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
      return short[c] || "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0");
    });
    return quote + body + quote;
  }

  /** Python's str ordering: by code point (UTF-16 units differ above U+FFFF only). */
  function cmpStr(a, b) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x = a.charCodeAt(i);
      const y = b.charCodeAt(i);
      if (x !== y) {
        const xs = x >= 0xd800 && x <= 0xdfff;
        const ys = y >= 0xd800 && y <= 0xdfff;
        if (xs !== ys) return xs ? 1 : -1;
        return x - y;
      }
    }
    return a.length - b.length;
  }

  function cmpBytes(a, b) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] !== b[i]) return a[i] - b[i];
    }
    return a.length - b.length;
  }

  /** Python list equality of JSON values, as `!=` compares them in the tool. */
  function same(a, b) {
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
      return a.every((x, i) => same(x, b[i]));
    }
    if (typeof a === "bigint" || typeof b === "bigint") {
      const num = (x) => typeof x === "bigint" || (typeof x === "number" && Number.isInteger(x));
      return num(a) && num(b) && BigInt(a) === BigInt(b);
    }
    if (isDict(a) || isDict(b)) return dumps(a, true) === dumps(b, true);
    return a === b || (a === undefined && b === null) || (a === null && b === undefined);
  }

  const sortedStrings = (list) => [...new Set(list)].sort(cmpStr);
  const bigMin = (a, b) => (a < b ? a : b);
  const bigMax = (a, b) => (a > b ? a : b);

  // --- Hashes ---------------------------------------------------------------------------

  const encoder = new TextEncoder();

  function utf8(text) {
    if (LONE_SURROGATE.test(text)) throw new Malformed("a string is not valid Unicode");
    return encoder.encode(text);
  }

  function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function fromHex(text) {
    const out = new Uint8Array(text.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(2 * i, 2), 16);
    return out;
  }

  async function sha256Hex(bytes) {
    return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
  }

  /** An HMAC-SHA256 key: its raw bytes and the imported WebCrypto key. */
  async function macKey(raw) {
    const algorithm = { name: "HMAC", hash: "SHA-256" };
    const key = await crypto.subtle.importKey("raw", raw, algorithm, false, ["sign"]);
    return { raw, key };
  }

  async function mac(key, text) {
    return new Uint8Array(await crypto.subtle.sign("HMAC", key.key, utf8(text)));
  }

  async function drawKey(seedHex, salt) {
    const seed = await macKey(fromHex(seedHex));
    return macKey(await mac(seed, salt));
  }

  function snapshot(keys) {
    return sha256Hex(utf8([...keys].sort(cmpStr).join("\n")));
  }

  // --- Shape (tools/verify_draw.py, check_shape) ----------------------------------------

  const KINDS = {
    int: (v) => typeof v === "bigint",
    str: (v) => typeof v === "string",
    list: (v) => Array.isArray(v),
    dict: isDict,
    bool: (v) => typeof v === "boolean",
    object: () => true,
  };

  function need(condition, message) {
    if (!condition) throw new Malformed(message);
  }

  function get(obj, key, kind, where = "record") {
    if (!has(obj, key)) throw new Malformed(`${where}: missing ${repr(key)}`);
    const value = obj[key];
    need(KINDS[kind](value), `${where}.${key}: expected ${kind}, got ${dumps(value, false)}`);
    return value;
  }

  function getStrings(obj, key, where) {
    const value = get(obj, key, "list", where);
    need(value.every((v) => typeof v === "string"), `${where}.${key}: expected a list of strings`);
    return value;
  }

  /** A ratio: a plain decimal string in [0, 1], as an exact fraction of BigInts. */
  function ratio(text) {
    need(typeof text === "string" && RATIO.test(text), `ratio ${repr(text)} is not a decimal`);
    const [whole, frac = ""] = text.split(".");
    const num = BigInt(whole + frac);
    const den = 10n ** BigInt(frac.length);
    need(num <= den, `ratio ${repr(text)} is above 1`);
    return { num, den };
  }

  function isPair(pair) {
    return Array.isArray(pair) && pair.length === 2 && pair.every((v) => typeof v === "string");
  }

  function checkPairs(obj, key, where) {
    for (const pair of get(obj, key, "list", where)) {
      need(isPair(pair), `${where}: ${dumps(pair, false)} is not a [cert, code] pair`);
    }
  }

  function checkInspectors(list, where) {
    list.forEach((i, m) => {
      get(i, "cert", "str", `${where}[${m}]`);
      get(i, "department", "str", `${where}[${m}]`);
      get(i, "expert", "bool", `${where}[${m}]`);
    });
    need(new Set(list.map((i) => i.cert)).size === list.length, `${where}: a certificate twice`);
  }

  function checkLead(t, where) {
    if (get(t, "lead", "object", where) !== null) get(t, "lead", "str", where);
  }

  function checkShape(rec) {
    const form = get(rec, "format", "object");
    // Formats 1 and 2 (without, with amendments) say "jointcheck-draw-record"; format 3 says 3.
    need(form === "jointcheck-draw-record" || form === 3n, "not a draw record of format 1, 2 or 3");
    need(get(rec, "algorithm", "int") === 1n, "not a draw record of algorithm 1");
    const fields = [["draw_id", "int"], ["plan_id", "int"], ["plan_name", "str"], ["salt", "str"]];
    for (const [name, kind] of fields) get(rec, name, kind);
    for (const name of ["enterprise_snapshot", "inspector_snapshot", "commitment"]) {
      get(rec, name, "str");
    }
    if (form === 3n) get(rec, "input_hash", "str");
    need(HEX64.test(get(rec, "seed", "str")), "seed is not 64 hex digits");

    const p = get(rec, "params", "dict");
    const classes = Object.keys(get(p, "ratios", "dict", "params")).sort(cmpStr);
    need(JSON.stringify(classes) === JSON.stringify(CLASSES), "params.ratios must give A to D");
    for (const c of CLASSES) ratio(p.ratios[c]);
    const least = { min_count: 0n, team_size: 2n, experts_per_team: 0n, load_cap: 1n };
    for (const [name, value] of Object.entries(least)) {
      need(get(p, name, "int", "params") >= value, `params.${name} must be >= ${value}`);
    }
    if (get(p, "max_count", "object", "params") !== null) {
      need(get(p, "max_count", "int", "params") >= p.min_count, "params.max_count < min_count");
    }
    get(p, "check_start", "str", "params");
    get(p, "check_end", "str", "params");

    const enterprises = get(rec, "enterprises", "list");
    enterprises.forEach((e, n) => {
      get(e, "code", "str", `enterprises[${n}]`);
      getStrings(e, "departments", `enterprises[${n}]`);
      const risk = get(e, "risk", "str", `enterprises[${n}]`);
      need(CLASSES.includes(risk), `enterprises[${n}].risk is not A, B, C or D`);
    });
    const codes = new Set(enterprises.map((e) => e.code));
    need(codes.size === enterprises.length, "an enterprise code appears twice");
    checkInspectors(get(rec, "inspectors", "list"), "inspectors");
    checkPairs(rec, "recusals", "record");

    checkAmendmentsShape(rec);
    for (const c of CLASSES) {
      get(get(get(rec, "strata", "dict"), c, "dict", "strata"), "population", "int", `strata.${c}`);
      get(rec.strata[c], "k", "int", `strata.${c}`);
    }
    get(rec, "result", "list").forEach((t, n) => {
      get(t, "code", "str", `result[${n}]`);
      get(t, "rank", "str", `result[${n}]`);
      getStrings(t, "team", `result[${n}]`);
      getStrings(t, "shortfalls", `result[${n}]`);
      checkLead(t, `result[${n}]`);
    });
  }

  function checkAmendmentsShape(rec) {
    if (!has(rec, "amendments")) return; // a record made before amendments existed
    get(rec, "amendments", "list").forEach((a, n) => {
      const where = `amendments[${n}]`;
      need(get(a, "seq", "int", where) === BigInt(n + 1), `${where}.seq is not ${n + 1}`);
      get(a, "kind", "str", where);
      // Who did it and why: a public record may leave them out.
      for (const name of ["at", "by", "reason", "cause"]) {
        if (has(a, name)) get(a, name, "str", where);
      }
      if (a.kind === "cancel") {
        get(a, "code", "str", where);
      } else if (a.kind === "substitution") {
        for (const name of ["code", "removed", "added", "rank"]) get(a, name, "str", where);
        need(!has(a, "cause") || CAUSES.includes(a.cause), `${where}.cause is not a known cause`);
        getStrings(a, "unavailable", where);
        checkPairs(a, "recusals", where);
      } else if (a.kind === "supplement") {
        for (const name of ["frozen_at", "commitment", "inspector_snapshot", "salt"]) {
          get(a, name, "str", where);
        }
        need(HEX64.test(get(a, "seed", "str", where)), `${where}.seed is not 64 hex digits`);
        checkInspectors(get(a, "inspectors", "list", where), `${where}.inspectors`);
        checkPairs(a, "recusals", where);
        get(a, "teams", "list", where).forEach((t, m) => {
          get(t, "code", "str", `${where}.teams[${m}]`);
          for (const name of ["added", "team", "shortfalls"]) {
            getStrings(t, name, `${where}.teams[${m}]`);
          }
          checkLead(t, `${where}.teams[${m}]`);
        });
      } else {
        throw new Malformed(`${where}.kind ${repr(a.kind)} is unknown`);
      }
    });
  }

  // --- The draw (sections 1 to 3) -------------------------------------------------------

  /** The canonical text of every input, whose SHA-256 is the input hash (format 3). */
  function inputHash(rec) {
    const p = rec.params;
    const params = { ratios: {} };
    for (const c of CLASSES) params.ratios[c] = p.ratios[c];
    const names = ["min_count", "max_count", "team_size", "experts_per_team", "load_cap"];
    for (const name of [...names, "check_start", "check_end"]) params[name] = p[name];
    const document = {
      algorithm: 1n,
      params,
      enterprises: rec.enterprises
        .map((e) => [e.code, e.risk, sortedStrings(e.departments)])
        .sort((a, b) => cmpStr(a[0], b[0])),
      inspectors: rec.inspectors
        .map((i) => [i.cert, i.department, i.expert])
        .sort((a, b) => cmpStr(a[0], b[0])),
      recusals: [...new Map(rec.recusals.map((pair) => [dumps(pair, true), pair])).values()].sort(
        (a, b) => cmpStr(a[0], b[0]) || cmpStr(a[1], b[1]),
      ),
    };
    return sha256Hex(utf8(dumps(document, true)));
  }

  /** k per risk class: the exact ratio, then max_count and min_count (section 2). */
  function sizes(population, p) {
    const k = {};
    for (const c of CLASSES) {
      const r = ratio(p.ratios[c]);
      const n = population[c];
      k[c] = bigMin(n, (r.num * n + r.den - 1n) / r.den);
    }
    const total = () => CLASSES.reduce((sum, c) => sum + k[c], 0n);
    if (p.max_count !== null) {
      for (const keep of [1n, 0n]) {
        for (const c of CLASSES) k[c] -= bigMax(0n, bigMin(total() - p.max_count, k[c] - keep));
      }
    }
    for (const c of [...CLASSES].reverse()) {
      k[c] += bigMax(0n, bigMin(p.min_count - total(), population[c] - k[c]));
    }
    return k;
  }

  const recusalKey = (cert, code) => JSON.stringify([cert, code]);

  /** Section 3 for one enterprise, keeping `members` (a supplement's short team). */
  async function formTeam(e, members, pool, known, load, recused, key, p) {
    const code = e.code;
    const departments = sortedStrings(e.departments);
    const inTeam = new Set(members.map((m) => m.cert));
    const eligible = pool.filter(
      (i) =>
        (load.get(i.cert) || 0) < p.load_cap &&
        !recused.has(recusalKey(i.cert, code)) &&
        !inTeam.has(i.cert) &&
        (i.expert || departments.includes(i.department)),
    );
    const ranks = await Promise.all(eligible.map((i) => mac(key, `inspector:${code}:${i.cert}`)));
    const candidates = eligible
      .map((i, n) => ({ i, rank: ranks[n] }))
      .sort((a, b) => cmpBytes(a.rank, b.rank) || cmpStr(a.i.cert, b.i.cert))
      .map((x) => x.i);
    const view = (m) => (known.has(m.cert) ? known.get(m.cert) : m);
    const officers = members.filter((m) => !view(m).expert);
    const experts = members.filter((m) => view(m).expert);
    const covered = officers.map((m) => view(m).department);
    const added = [];
    for (const i of candidates) {
      if (!i.expert && !covered.includes(i.department)) {
        added.push(i);
        covered.push(i.department);
      }
    }
    const target = bigMax(p.team_size, BigInt(officers.length + added.length));
    for (const i of candidates) {
      const short = BigInt(officers.length + added.length) < target;
      if (short && !i.expert && !added.includes(i)) added.push(i);
    }
    const wanted = bigMax(0n, p.experts_per_team - BigInt(experts.length));
    const addedExperts = candidates.filter((i) => i.expert).slice(0, Number(wanted));
    const nOfficers = officers.length + added.length;
    const nExperts = experts.length + addedExperts.length;
    const uncovered = departments.filter((d) => !covered.includes(d));
    const shortfalls = uncovered.map((d) => "department:" + d);
    if (nOfficers < p.team_size) shortfalls.push(`officers:${nOfficers}`);
    if (nExperts < p.experts_per_team) shortfalls.push(`experts:${nExperts}`);
    shortfalls.sort(cmpStr);
    if (nOfficers < 2) return [members, shortfalls];
    for (const i of [...added, ...addedExperts]) load.set(i.cert, (load.get(i.cert) || 0) + 1);
    return [[...officers, ...added, ...experts, ...addedExperts], shortfalls];
  }

  async function recompute(rec, key) {
    const p = rec.params;
    const ranks = await Promise.all(rec.enterprises.map((e) => mac(key, "enterprise:" + e.code)));
    const rank = new Map(rec.enterprises.map((e, n) => [e.code, ranks[n]]));
    const byRank = (a, b) => cmpBytes(rank.get(a.code), rank.get(b.code));
    const byClass = {};
    for (const c of CLASSES) byClass[c] = rec.enterprises.filter((e) => e.risk === c);
    const population = {};
    for (const c of CLASSES) population[c] = BigInt(byClass[c].length);
    const k = sizes(population, p);
    let drawn = [];
    for (const c of CLASSES) {
      drawn = drawn.concat([...byClass[c]].sort(byRank).slice(0, Number(k[c])));
    }
    drawn.sort(byRank);

    const load = new Map(rec.inspectors.map((i) => [i.cert, 0]));
    const recused = new Set(rec.recusals.map(([cert, code]) => recusalKey(cert, code)));
    const result = [];
    for (const e of drawn) {
      const none = new Map();
      const [team, shortfalls] = await formTeam(e, [], rec.inspectors, none, load, recused, key, p);
      result.push({
        code: e.code,
        rank: hex(rank.get(e.code)),
        team: team.map((i) => i.cert),
        lead: team.length ? team[0].cert : null,
        shortfalls,
      });
    }
    const strata = {};
    for (const c of CLASSES) strata[c] = { population: population[c], k: k[c] };
    return [strata, result];
  }

  // --- Amendments (section 5) -----------------------------------------------------------

  async function replay(rec, result, drawnKey, compare) {
    const p = rec.params;
    const enterprise = new Map(rec.enterprises.map((e) => [e.code, e]));
    const teams = new Map(result.map((t) => [t.code, [...t.team]]));
    const shortfalls = new Map(result.map((t) => [t.code, t.shortfalls]));
    const order = result.map((t) => t.code);
    const cancelled = new Set();
    const known = new Map(rec.inspectors.map((i) => [i.cert, i]));
    let pool = rec.inspectors;
    let key = drawnKey;
    const recused = new Set(rec.recusals.map(([cert, code]) => recusalKey(cert, code)));
    const lookup = (map, k) => {
      if (!map.has(k)) throw new KeyMissing(repr(k));
      return map.get(k);
    };
    const live = (code) => {
      if (!teams.has(code) || cancelled.has(code)) {
        throw new CannotApply(`${code} was not drawn or is cancelled`);
      }
      return teams.get(code);
    };
    const loads = () => {
      const count = new Map();
      for (const [code, team] of teams) {
        if (cancelled.has(code)) continue;
        for (const cert of team) count.set(cert, (count.get(cert) || 0) + 1);
      }
      return count;
    };

    const amendments = has(rec, "amendments") ? rec.amendments : [];
    for (let n = 0; n < amendments.length; n++) {
      const a = amendments[n];
      const where = `amendments[${n}]`;
      for (const [cert, code] of has(a, "recusals") ? a.recusals : []) {
        recused.add(recusalKey(cert, code));
      }
      if (a.kind === "cancel") {
        live(a.code);
        cancelled.add(a.code);
      } else if (a.kind === "substitution") {
        const code = a.code;
        const removed = a.removed;
        const team = live(code);
        const load = loads();
        if (!team.includes(removed)) {
          throw new CannotApply(`${removed} is not in the team of ${code}`);
        }
        const who = lookup(known, removed);
        const candidates = pool.filter(
          (i) =>
            !a.unavailable.includes(i.cert) &&
            !team.includes(i.cert) &&
            !recused.has(recusalKey(i.cert, code)) &&
            (load.get(i.cert) || 0) < p.load_cap &&
            i.expert === who.expert &&
            (i.expert || i.department === who.department),
        );
        if (!candidates.length) throw new CannotApply(`${where}: nobody can replace ${removed}`);
        const ranks = await Promise.all(
          candidates.map((i) => mac(key, `inspector:${code}:${i.cert}`)),
        );
        let best = 0;
        for (let m = 1; m < candidates.length; m++) {
          const order = cmpBytes(ranks[m], ranks[best]);
          if (order < 0 || (order === 0 && cmpStr(candidates[m].cert, candidates[best].cert) < 0)) {
            best = m;
          }
        }
        compare(`${where}.added`, a.added, candidates[best].cert);
        compare(`${where}.rank`, a.rank, hex(ranks[best]));
        team[team.indexOf(removed)] = candidates[best].cert;
      } else {
        compare(`${where}.commitment`, a.commitment, await sha256Hex(fromHex(a.seed)));
        const certs = a.inspectors.map((i) => i.cert);
        compare(`${where}.inspector_snapshot`, a.inspector_snapshot, await snapshot(certs));
        pool = [...a.inspectors].sort((x, y) => cmpStr(x.cert, y.cert));
        key = await drawKey(a.seed, a.salt);
        for (const i of pool) known.set(i.cert, i);
        const load = loads();
        let last = -1;
        for (let m = 0; m < a.teams.length; m++) {
          const t = a.teams[m];
          const code = t.code;
          const members = live(code).map((c) => lookup(known, c));
          if (!lookup(shortfalls, code).length || order.indexOf(code) <= last) {
            throw new CannotApply(`${where}.teams[${m}]: ${code} is not short or out of order`);
          }
          last = order.indexOf(code);
          const e = lookup(enterprise, code);
          const [formed, short] = await formTeam(e, members, pool, known, load, recused, key, p);
          const before = new Set(teams.get(code));
          teams.set(code, formed.map((i) => i.cert));
          shortfalls.set(code, short);
          const after = teams.get(code);
          const want = {
            code,
            added: formed.filter((i) => !before.has(i.cert)).map((i) => i.cert),
            team: after,
            lead: after.length ? after[0] : null,
            shortfalls: short,
          };
          for (const name of ["code", "added", "team", "lead", "shortfalls"]) {
            compare(`${where}.teams[${m}].${name}`, t[name], want[name]);
          }
        }
      }
    }
  }

  // --- Verification ---------------------------------------------------------------------

  async function differences(rec) {
    const found = [];
    const compare = (what, recorded, recomputed) => {
      if (!same(recorded, recomputed)) {
        const [was, want] = [dumps(recorded, false), dumps(recomputed, false)];
        found.push(`${what}: record has ${was}, recomputed ${want}`);
      }
    };
    const codes = rec.enterprises.map((e) => e.code);
    compare("enterprise_snapshot", rec.enterprise_snapshot, await snapshot(codes));
    const certs = rec.inspectors.map((i) => i.cert);
    compare("inspector_snapshot", rec.inspector_snapshot, await snapshot(certs));
    compare("commitment", rec.commitment, await sha256Hex(fromHex(rec.seed)));
    if (rec.format === 3n) compare("input_hash", rec.input_hash, await inputHash(rec));
    const key = await drawKey(rec.seed, rec.salt);
    const [strata, result] = await recompute(rec, key);
    for (const c of CLASSES) {
      for (const name of ["population", "k"]) {
        compare(`strata.${c}.${name}`, rec.strata[c][name], strata[c][name]);
      }
    }
    for (let n = 0; n < Math.max(result.length, rec.result.length); n++) {
      const recorded = n < rec.result.length ? rec.result[n] : Object.create(null);
      const recomputed = n < result.length ? result[n] : {};
      for (const name of ["code", "rank", "team", "lead", "shortfalls"]) {
        const value = has(recorded, name) ? recorded[name] : null;
        compare(`result[${n}].${name}`, value, recomputed[name] ?? null);
      }
    }
    try {
      await replay(rec, result, key, compare);
    } catch (exc) {
      if (!(exc instanceof CannotApply || exc instanceof KeyMissing)) throw exc;
      found.push(`amendments: cannot apply (${exc.message})`);
    }
    return found;
  }

  /**
   * Check a record's text: {status: "ok" | "mismatch" | "error", text, record}.
   * `published` holds values announced at the freeze that the record must carry.
   */
  async function verifyText(text, published = {}) {
    let rec;
    try {
      rec = parseJson(text);
      checkShape(rec);
    } catch (exc) {
      return { status: "error", text: `无法读取 / unreadable record: ${exc.message}` };
    }
    try {
      const found = Object.entries(published)
        .filter(([name, value]) => rec[name] !== value)
        .map(([name, value]) => {
          const [carried, announced] = [dumps(rec[name], false), dumps(value, false)];
          return `${name}: record has ${carried}, published ${announced}`;
        });
      found.push(...(await differences(rec)));
      if (found.length) {
        return { status: "mismatch", text: `不一致 / mismatch: ${found[0]}`, record: rec };
      }
      return { status: "ok", text: "一致 / match", record: rec };
    } catch (exc) {
      if (!(exc instanceof Malformed)) throw exc;
      return { status: "error", text: `无法读取 / unreadable record: ${exc.message}` };
    }
  }

  const NO_CRYPTO =
    "此浏览器无法在此页面计算哈希（需要 HTTPS） / " +
    "this browser cannot compute hashes on this page (HTTPS needed)";

  // --- The page -------------------------------------------------------------------------

  function decode(buffer) {
    // Like Python's open(..., encoding="utf-8"): invalid UTF-8 or a byte order mark fails.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(buffer);
  }

  function publishedOf(button) {
    const out = {};
    if (button.dataset.commitment) out.commitment = button.dataset.commitment.trim().toLowerCase();
    if (button.dataset.inputHash) out.input_hash = button.dataset.inputHash.trim().toLowerCase();
    return out;
  }

  function show(output, status, text) {
    output.textContent = text;
    output.dataset.status = status;
  }

  async function run(output, controls, read, published) {
    if (!(window.crypto && crypto.subtle)) {
      show(output, "error", NO_CRYPTO);
      return;
    }
    controls.forEach((c) => (c.disabled = true));
    delete output.dataset.status;
    output.textContent = "正在浏览器中重新计算… / recomputing in your browser…";
    try {
      const verdict = await verifyText(decode(await read()), published);
      let text = verdict.text;
      if (verdict.status === "ok") {
        const rec = verdict.record;
        text += `（请与冻结公告核对 / compare with the freeze notice: 随机种子承诺 commitment ${rec.commitment}`;
        text += rec.format === 3n ? `，输入哈希 input hash ${rec.input_hash}）` : "）";
      }
      show(output, verdict.status, text);
    } catch (exc) {
      show(output, "error", `无法验证 / cannot verify: ${exc && exc.message ? exc.message : exc}`);
    } finally {
      controls.forEach((c) => (c.disabled = false));
    }
  }

  async function fetchRecord(url) {
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.arrayBuffer();
  }

  function start() {
    const output = document.getElementById("verify-result");
    const button = document.getElementById("verify-draw");
    const file = document.getElementById("verify-file");
    if (!output) return;
    const controls = [button, file].filter(Boolean);
    if (button) {
      button.addEventListener("click", () =>
        run(output, controls, () => fetchRecord(button.dataset.recordUrl), publishedOf(button)),
      );
    }
    if (file) {
      file.addEventListener("change", () => {
        const chosen = file.files && file.files[0];
        if (chosen) run(output, controls, () => chosen.arrayBuffer(), {});
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
