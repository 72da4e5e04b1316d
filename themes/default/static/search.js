/* guidegen search: results as you type, from the static index the build writes under
   search/ (manifest.json, s/N.bin shards, f/N.json fragments). Plain JavaScript, no
   dependencies. The tokenizer, stemmer and ranking mirror Sources/Search (Tokenizer.swift,
   Stemmer.swift, SearchQuery.swift): change both together. Without JavaScript the form
   goes to the A-Z list of roles. */
(function () {
  "use strict";

  /* ---- Tokenizer (Tokenizer.swift) ---- */

  var LETTER = /[\p{L}\p{M}\p{N}]/u;
  var REPLACE = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "þ": "th", "ð": "d", "ς": "σ" };

  function isCJK(c) {
    return (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3130 && c <= 0x318F) ||
      (c >= 0x31F0 && c <= 0x31FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
      (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF66 && c <= 0xFF9F) ||
      (c >= 0x20000 && c <= 0x2FA1F);
  }
  function isWord(ch) {
    var c = ch.codePointAt(0);
    if (c < 0x80) return (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39);
    return LETTER.test(ch);
  }
  function isPlainWord(ch) { return ch !== undefined && isWord(ch) && !isCJK(ch.codePointAt(0)); }
  function isDigit(ch) { return ch >= "0" && ch <= "9" && ch.length === 1; }

  function fold(s) {
    var f;
    if (/^[\x00-\x7f]*$/.test(s)) f = s.toLowerCase();
    else f = s.toLowerCase().normalize("NFD").replace(/\p{Mn}/gu, "")
      .replace(/[ßæœøđłıþðς]/g, function (c) { return REPLACE[c]; }).replace(/\u2019/g, "'");
    if (f.indexOf("'") >= 0) {
      if (f.slice(-2) === "'s") f = f.slice(0, -2);
      f = f.replace(/'/g, "");
    }
    return f;
  }

  /* Calls visit(parts) for words and compounds, visitCJK(chars) for CJK runs. */
  function scan(text, visit, visitCJK) {
    var s = Array.from(text), n = s.length, i = 0;
    while (i < n) {
      var c = s[i];
      if (isCJK(c.codePointAt(0))) {
        var from = i;
        while (i < n && isCJK(s[i].codePointAt(0))) i++;
        visitCJK(s.slice(from, i));
        continue;
      }
      if (!isWord(c)) { i++; continue; }
      var parts = [];
      for (;;) {
        var start = i;
        while (i < n) {
          if (isPlainWord(s[i])) i++;
          else if ((s[i] === "'" || s[i] === "\u2019") && i > start && isPlainWord(s[i + 1])) i++;
          else break;
        }
        var end = i, closed = false;
        if (s[i] === "+" && s[i + 1] === "+" && (i + 2 === n || !isWord(s[i + 2]))) { i += 2; end = i; closed = true; }
        else if (s[i] === "#" && (i + 1 === n || !isWord(s[i + 1]))) { i += 1; end = i; closed = true; }
        parts.push(fold(s.slice(start, end).join("")));
        var sep = s[i];
        if (!closed && i + 1 < n && isPlainWord(s[i + 1]) &&
            (sep === "-" || sep === "." || sep === "/" || sep === "_" || sep === "\u2010" || sep === "\u2011" ||
             (sep === "," && isDigit(s[i - 1]) && isDigit(s[i + 1])))) { i++; continue; }
        break;
      }
      parts = parts.filter(function (p) { return p.length > 0; });
      if (parts.length) visit(parts);
    }
  }

  /* What a query looks up: [{term, raw}], one entry per word every result must have. */
  function queryTerms(text) {
    var out = [];
    scan(text, function (parts) {
      var words = parts.length > 1 && parts.length <= 4 ? [parts.join("")] : parts;
      words.forEach(function (w) { if (w.length <= 40) out.push({ term: stem(w), raw: w }); });
    }, function (run) {
      if (run.length === 1) out.push({ term: run[0], raw: run[0] });
      for (var k = 1; k < run.length; k++) { var p = run[k - 1] + run[k]; out.push({ term: p, raw: p }); }
    });
    return out;
  }

  /* ---- Stemmer (Stemmer.swift): Snowball English ---- */
  // Snowball English (Porter2) stemmer, english.sbl of Snowball 3.x. Twin of the Swift
  // EnglishStemmer: same stems (stem-vectors.txt). `w` is lower-case; words with anything
  // but a-z, 0-9 and ' come back unchanged.
  function stem(w) {
    if (w.length < 3 || !/^[a-z0-9']+$/.test(w)) return w;
    var ex = {skis: "ski", skies: "sky", idly: "idl", gently: "gentl", ugly: "ugli", early: "earli",
      only: "onli", singly: "singl", sky: "", news: "", howe: "", atlas: "", cosmos: "", bias: "", andes: ""};
    if (Object.prototype.hasOwnProperty.call(ex, w)) return ex[w] || w;

    function V(c) { return c !== undefined && "aeiouy".indexOf(c) >= 0; } // "Y" is a consonant
    function E(s) { return w.endsWith(s); }
    function cut(n, add) { w = w.slice(0, w.length - n) + (add || ""); }
    function hasV(end) { for (var i = 0; i < end; i++) if (V(w[i])) return true; return false; }
    // Does w[0..k) end in a short syllable (or in "past")?
    function shortV(k) {
      return (k > 2 && !V(w[k - 1]) && "wxY".indexOf(w[k - 1]) < 0 && V(w[k - 2]) && !V(w[k - 3])) ||
        (k === 2 && V(w[0]) && !V(w[1])) || (k > 3 && w.slice(k - 4, k) === "past");
    }
    function region(i) { // just after the first non-vowel that follows a vowel
      while (i < w.length && !V(w[i])) i++;
      for (i++; i < w.length && V(w[i]); i++);
      return i < w.length ? i + 1 : w.length;
    }
    // Steps 2-4: the longest suffix in `list` (suffix, replacement, ...) is replaced if it starts
    // in region r and: -ogi follows l, -li one of cdeghkmnrt, -ion s or t; -ative is in R2.
    function step(list, r) {
      for (var i = 0; i < list.length; i += 2) {
        var s = list[i];
        if (!E(s)) continue;
        var k = w.length - s.length, c = w[k - 1];
        if (k >= r && (s !== "ogi" || c === "l") && (s !== "li" || (c && "cdeghkmnrt".indexOf(c) >= 0)) &&
            (s !== "ative" || k >= p2) && (s !== "ion" || c === "s" || c === "t")) cut(s.length, list[i + 1]);
        return;
      }
    }

    // Prelude: leading apostrophe, y -> Y where it acts as a consonant, regions R1 and R2.
    var i, y = "";
    if (w[0] === "'") w = w.slice(1);
    if (w.indexOf("y") >= 0) {
      for (i = 0; i < w.length; i++) y += w[i] === "y" && (i === 0 || V(y[i - 1])) ? "Y" : w[i];
      w = y;
    }
    var pre = ["gener", "commun", "arsen", "emerg", "inter", "later", "organ", "past", "univers"], p1 = 0;
    for (i = 0; i < pre.length; i++) if (w.startsWith(pre[i])) p1 = pre[i].length;
    p1 = p1 || region(0);
    var p2 = region(p1);

    // Step 1a: drop 's' 's '; sses -> ss, ied/ies -> i or ie, -s goes after vowel + letter.
    if (E("'s'")) cut(3); else if (E("'s")) cut(2); else if (E("'")) cut(1);
    if (E("sses")) cut(2);
    else if (E("ied") || E("ies")) cut(3, w.length > 4 ? "i" : "ie");
    else if (E("s") && !E("ss") && !E("us") && hasV(w.length - 2)) cut(1);

    // Step 1b: eed(ly) -> ee in R1; ed(ly), ing(ly) deleted after a vowel, then tidy up.
    var n = E("eedly") ? 5 : E("eed") ? 3 : 0, st;
    if (n) {
      st = w.slice(0, -n);
      if (w.length - n >= p1 && st !== "succ" && st !== "proc" && st !== "exc") cut(n, "ee");
    } else if ((n = E("ingly") ? 5 : E("edly") ? 4 : E("ing") ? 3 : E("ed") ? 2 : 0)) {
      st = w.slice(0, -n);
      if (n === 3 && /^(even|cann|inn|earr|herr|out)$/.test(st)) n = 0; // evening, inning, outing...
      else if (n === 3 && st.length === 2 && st[1] === "y" && !V(st[0])) { cut(4, "ie"); n = 0; } // dying
      if (n && hasV(st.length)) {
        w = st;
        var m = w.length, c = w[m - 1];
        if (E("at") || E("bl") || E("iz")) w += "e";
        else if (m > 1 && c === w[m - 2] && "bdfgmnprt".indexOf(c) >= 0) {
          if (!(m === 3 && "aeo".indexOf(w[0]) >= 0)) cut(1); // hopp -> hop, but add, egg, off stay
        } else if (m === p1 && shortV(m)) w += "e"; // hop -> hope
      }
    }

    // Step 1c: final y or Y -> i after a consonant that is not the first letter.
    n = w.length;
    if (n > 2 && (E("y") || E("Y")) && !V(w[n - 2])) cut(1, "i");

    step(["ational", "ate", "tional", "tion", "fulness", "ful", "ousness", "ous", "iveness", "ive",
      "ization", "ize", "biliti", "ble", "lessli", "less", "entli", "ent", "ation", "ate", "alism", "al",
      "aliti", "al", "ousli", "ous", "iviti", "ive", "fulli", "ful", "ogist", "og", "enci", "ence",
      "anci", "ance", "abli", "able", "izer", "ize", "ator", "ate", "alli", "al", "bli", "ble", "ogi", "og",
      "li", ""], p1);
    step(["ational", "ate", "tional", "tion", "alize", "al", "icate", "ic", "iciti", "ic", "ative", "",
      "ical", "ic", "ness", "", "ful", ""], p1);
    step(["ement", "", "ance", "", "ence", "", "able", "", "ible", "", "ment", "", "ant", "", "ent", "",
      "ism", "", "ate", "", "iti", "", "ous", "", "ive", "", "ize", "", "ion", "", "al", "", "er", "", "ic", ""], p2);

    // Step 5: final e deleted in R2, or in R1 unless after a short syllable; ll -> l in R2.
    n = w.length - 1;
    if (w[n] === "e" && (n >= p2 || (n >= p1 && !shortV(n)))) cut(1);
    else if (w[n] === "l" && n >= p2 && w[n - 1] === "l") cut(1);
    return w.replace(/Y/g, "y");
  }

  /* ---- Index (ShardEncoder.swift, SearchQuery.swift) ---- */

  var script = document.currentScript;
  var root = new URL("./", script ? script.src : location.href);
  var indexURL = new URL("search/", root);
  var decoder = new TextDecoder();
  var manifest = null, shards = new Map(), fragments = new Map();

  function loadManifest() {
    if (!manifest) {
      manifest = fetch(new URL("manifest.json", indexURL), { cache: "no-cache" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
      manifest.catch(function () { manifest = null; });
    }
    return manifest;
  }
  // Every file but the manifest is in the folder its version names: a name never changes its bytes.
  function versioned(path, m) { return new URL(m.version + "/" + path, indexURL); }

  function loadShard(m, i) {
    if (!shards.has(i)) {
      var p = fetch(versioned("s/" + i + ".bin", m))
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.arrayBuffer(); })
        .then(decodeShard);
      p.catch(function () { shards.delete(i); });
      shards.set(i, p);
    }
    return shards.get(i);
  }
  function loadFragment(m, page) {
    if (!fragments.has(page)) {
      var p = fetch(versioned("f/" + page + ".json", m)).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
      p.catch(function () { fragments.delete(page); });
      fragments.set(page, p);
    }
    return fragments.get(page);
  }

  function varint(b, pos) {
    var value = 0, shift = 0, byte;
    do { byte = b[pos.o++]; value += (byte & 0x7F) * Math.pow(2, shift); shift += 7; } while (byte >= 0x80);
    return value;
  }
  function decodeShard(buffer) {
    var b = new Uint8Array(buffer), pos = { o: 0 }, n = varint(b, pos), terms = new Map(), prev = new Uint8Array(0);
    for (var k = 0; k < n; k++) {
      var shared = varint(b, pos), suffix = varint(b, pos), t = new Uint8Array(shared + suffix);
      t.set(prev.subarray(0, shared));
      t.set(b.subarray(pos.o, pos.o + suffix), shared);
      pos.o += suffix;
      var len = varint(b, pos);
      terms.set(decoder.decode(t), b.subarray(pos.o, pos.o + len));
      pos.o += len;
      prev = t;
    }
    return terms;
  }
  /* Calls each(page, level) for every posting; returns the number of pages. */
  function postings(b, each) {
    var pos = { o: 0 }, bands = varint(b, pos), count = 0;
    for (var k = 0; k < bands; k++) {
      var level = b[pos.o++], header = varint(b, pos), n = Math.floor(header / 2);
      if (header & 1) {
        var first = varint(b, pos), bytes = varint(b, pos);
        for (var j = 0; j < bytes; j++) {
          var byte = b[pos.o + j];
          if (byte) for (var bit = 0; bit < 8; bit++) if (byte & (1 << bit)) each((first + j) * 8 + bit, level);
        }
        pos.o += bytes;
      } else {
        var page = 0;
        for (var j2 = 0; j2 < n; j2++) { var gap = varint(b, pos); page = j2 === 0 ? gap : page + gap; each(page, level); }
      }
      count += n;
    }
    return count;
  }

  function shardIndex(m, term) {
    var lo = 0, hi = m.shards.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (m.shards[mid] <= term) lo = mid + 1; else hi = mid; }
    return Math.max(0, lo - 1);
  }
  function shardRange(m, prefix) {
    var first = shardIndex(m, prefix), last = first, out = [];
    while (last + 1 < m.shards.length && last - first < 7 && m.shards[last + 1].indexOf(prefix) === 0) last++;
    for (var k = first; k <= last; k++) out.push(k);
    return out;
  }

  /* ---- Reading the query (QueryPlan.swift): stop words out, pay and how-to intents as optional words ---- */

  function setOf(words) { var o = {}; words.split(" ").forEach(function (w) { o[w] = true; }); return o; }
  var STOP = setOf("a an the to how what whats does do is are for of in on i can much and with be as you my " +
    "should need job jobs work which who or get into being there it me at");
  var PAY_NOUNS = setOf("salary salaries pay paid wage wages income compensation earnings");
  var PAY_VERBS = setOf("make makes earn earns paying");
  var BECOME = setOf("become becoming entry junior graduate beginner beginners trainee");
  var VERSUS = setOf("vs versus");
  var JOB = {};
  "engineer developer scientist designer manager analyst architect administrator programmer tester consultant specialist writer director officer technician master lead"
    .split(" ").forEach(function (w) { JOB[stem(w)] = true; });
  var OPTIONAL_WEIGHT = 2, EXACT_LIFT = 1.5, TITLE_LIFT = 1.5, EXACT_LONGEST = 6;
  function has(set, w) { return Object.prototype.hasOwnProperty.call(set, w); }

  /* Required and optional words, and the sides of an "X vs Y" query (ranges of required words). */
  function queryPlan(words) {
    var required = [], optional = [], sides = [], sideStart = 0;
    function addOptional(raw) {
      var w = { term: stem(raw), raw: raw };
      if (!optional.some(function (o) { return o.term === w.term && o.raw === w.raw; })) optional.push(w);
    }
    function closeSide() {
      if (required.length > sideStart) sides.push([sideStart, required.length]);
      sideStart = required.length;
    }
    words.forEach(function (w) {
      if (has(VERSUS, w.raw) || w.raw === "or") closeSide();
      if (has(STOP, w.raw)) return;
      if (has(PAY_VERBS, w.raw)) addOptional("salary");
      else if (has(BECOME, w.raw)) addOptional("become");
      else if (has(VERSUS, w.raw)) addOptional("vs");
      else {
        if (has(PAY_NOUNS, w.raw)) addOptional("salary");
        required.push({ term: w.term, raw: w.raw });
      }
    });
    closeSide();
    if (!required.length) {
      var kept = words.filter(function (w) { return !has(STOP, w.raw) && !has(VERSUS, w.raw); });
      required = (kept.length ? kept : words).map(function (w) { return { term: w.term, raw: w.raw }; });
      optional = [];
      sides = [[0, required.length]];
    }
    return { required: required, optional: optional, sides: sides };
  }
  /* Exact-title and title-word terms (ExactTitle, TitleWord in QueryPlan.swift). */
  function exactKey(stems) {
    if (!stems.length || stems.length > EXACT_LONGEST) return null;
    return stems.map(function (t) { return t + "\u0001"; }).join("");
  }
  function titleWordKey(t) { return t + "\u0002"; }

  /* ---- Typos (Typos in QueryPlan.swift): optimal string alignment distance on UTF-16 code units ---- */

  function distance(a, b, limit) {
    if (!a.length || !b.length) return Math.max(a.length, b.length);
    var before = new Array(b.length + 1).fill(0), prev = [], cur = new Array(b.length + 1).fill(0), i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur[0] = i;
      var smallest = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, before[j - 2] + 1);
        cur[j] = v;
        if (v < smallest) smallest = v;
      }
      if (smallest > limit) return limit + 1;
      var t = before; before = prev; prev = cur; cur = t;
    }
    return prev[b.length];
  }
  function nearest(word, vocabulary) {
    var limit = word.length >= 8 ? 2 : 1, best = null, bestD = Infinity;
    for (var k = 0; k < vocabulary.length; k++) {
      var c = vocabulary[k];
      if (c === word || Math.abs(c.length - word.length) > limit) continue;
      var d = distance(word, c, limit);
      if (d <= limit && d < bestD) { best = c; bestD = d; if (d === 1) break; }
    }
    return best;
  }
  var vocabulary = null;
  function loadVocabulary(m) {
    if (!vocabulary) {
      vocabulary = fetch(versioned("v.txt", m)).then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (t) { return t ? t.split("\n") : []; });
      vocabulary.catch(function () { vocabulary = null; });
    }
    return vocabulary;
  }

  /* The query plan: per required word, exact candidates (term -> weight) and prefixes to expand;
     optional words exact only. */
  function plan(text) {
    var words = queryTerms(text), typing = !/\s$/.test(text), read = queryPlan(words), last = words.length ? words[words.length - 1].raw : null;
    var required = read.required.map(function (w, k) {
      return lookup(w, typing && k === read.required.length - 1 && w.raw === last && w.raw.length >= 3);
    });
    required.optional = read.optional.map(function (w) { return lookup(w, false); });
    required.sides = read.sides;
    required.typed = words.length > read.required.length ? exactKey(words.map(function (w) { return w.term; })) : null;
    return required;
  }
  /* The exact-title terms of the plan's sides, from the words searched (after corrections). */
  function exactKeys(words) {
    return (words.sides || []).map(function (side) {
      return exactKey(words.slice(side[0], side[1]).map(function (w) { return w.word.term; }));
    }).filter(function (k) { return k; });
  }
  function lookup(w, prefix) {
    var exact = new Map([[w.term, 1], [w.raw, 1]]);
    if (prefix) for (var len = Math.max(4, w.raw.length - 3); len < w.raw.length; len++) {
      var shorter = w.raw.slice(0, len);
      if (!exact.has(shorter)) exact.set(shorter, 0.7);
    }
    return { word: w, prefix: prefix, exact: exact };
  }

  function shardsFor(m, words, needed) {
    exactKeys(words).forEach(function (k) { needed.add(shardIndex(m, k)); });
    if (words.typed) needed.add(shardIndex(m, words.typed));
    (words.optional || []).forEach(function (w) { needed.add(shardIndex(m, titleWordKey(w.word.term))); });
    words.forEach(function (w) {
      w.exact.forEach(function (_, t) { needed.add(shardIndex(m, t)); });
      if (w.prefix) shardRange(m, w.word.raw).concat(shardRange(m, w.word.term)).forEach(function (k) { needed.add(k); });
    });
  }
  function fetchShards(m, needed, byIndex) {
    var list = Array.from(needed).filter(function (k) { return !byIndex.has(k); });
    return Promise.all(list.map(function (k) { return loadShard(m, k); })).then(function (loaded) {
      list.forEach(function (k, j) { byIndex.set(k, loaded[j]); });
      return byIndex;
    });
  }

  /* exact: no typo corrections (the reader asked for the words as typed). */
  function run(text, exact) {
    return loadManifest().then(function (m) {
      var words = plan(text), needed = new Set(), byIndex = new Map();
      shardsFor(m, words.concat(words.optional), needed);
      return fetchShards(m, needed, byIndex).then(function () {
        var scored = words.map(function (w) { return scoreWord(m, w, byIndex); });
        var typos = exact ? [] : words.filter(function (w, k) { return !scored[k].direct && w.word.raw.length >= 5; });
        if (!typos.length) return rank(words, scored, byIndex, m, []);
        return loadVocabulary(m).then(function (vocab) {
          var corrections = [], fixed = new Set(), planned = words;
          words = words.map(function (w, k) {
            if (scored[k].direct || w.word.raw.length < 5) return w;
            var near = nearest(w.word.raw, vocab);
            if (!near) return w;
            corrections.push({ typed: w.word.raw, used: near });
            fixed.add(k);
            return lookup({ term: stem(near), raw: near }, false);
          });
          // The same optional words and sides; no whole-typed title once a word was corrected (as SearchQuery).
          words.optional = planned.optional;
          words.sides = planned.sides;
          var more = new Set();
          shardsFor(m, words, more);
          return fetchShards(m, more, byIndex).then(function () {
            scored = words.map(function (w, k) { return fixed.has(k) ? scoreWord(m, w, byIndex) : scored[k]; });
            return rank(words, scored, byIndex, m, corrections);
          });
        });
      });
    });
  }

  /* Each page's best score for one word; direct: the word itself, or a term it starts, is in the index. */
  function scoreWord(m, w, byIndex) {
    var best = new Map(), scale = m.levelsPerPoint || 24, direct = false, own = null;
    function idf(df) { return Math.log(1 + (m.pages - df + 0.5) / (df + 0.5)); }
    function add(postingBytes, weight, maxIDF) {
      var hits = [];
      var df = postings(postingBytes, function (page, level) { hits.push(page, level); });
      var rarity = maxIDF === undefined || maxIDF === null ? idf(df) : Math.min(idf(df), maxIDF);
      for (var j = 0; j < hits.length; j += 2) {
        var s = hits[j + 1] / scale * rarity * weight;
        if (s > (best.get(hits[j]) || 0)) best.set(hits[j], s);
      }
      return df;
    }
    w.exact.forEach(function (weight, t) {
      var d = byIndex.get(shardIndex(m, t)), p = d && d.get(t);
      if (!p) return;
      var df = add(p, weight);
      if (weight === 1) { own = Math.max(own === null ? 0 : own, idf(df)); direct = true; }
    });
    if (w.prefix) {
      var seen = new Set();
      shardRange(m, w.word.raw).concat(shardRange(m, w.word.term)).forEach(function (k) {
        if (seen.has(k)) return;
        seen.add(k);
        byIndex.get(k).forEach(function (p, t) {
          if (!w.exact.has(t) && t.charCodeAt(t.length - 1) > 2 && (t.indexOf(w.word.raw) === 0 || t.indexOf(w.word.term) === 0)) {
            add(p, own === null ? 0.7 : 0.5, own);
            direct = true;
          }
        });
      });
    }
    return { scores: best, direct: direct };
  }

  function rank(words, scored, byIndex, m, corrections) {
    var perPage = new Map();
    scored.forEach(function (sc, index) {
      sc.scores.forEach(function (s, page) {
        var hit = perPage.get(page);
        if (!hit) perPage.set(page, hit = { page: page, score: 0, matched: 0, mask: 0 });
        hit.score += s;
        hit.matched += 1;
        if (index < 30) hit.mask |= 1 << index;
      });
    });
    function pagesWith(key, each) {
      var d = byIndex.get(shardIndex(m, key)), p = d && d.get(key);
      if (p) postings(p, function (page) { each(page); });
    }
    var sideMasks = (words.sides || []).map(function (side) {
      var mask = 0;
      for (var k = side[0]; k < side[1]; k++) if (k < 30) mask |= 1 << k;
      return mask;
    });
    perPage.forEach(function (h) {
      h.sides = sideMasks.filter(function (mk) { return mk !== 0 && (h.mask & mk) === mk; }).length;
    });
    (words.optional || []).forEach(function (w) {
      scoreWord(m, w, byIndex).scores.forEach(function (s, page) {
        var hit = perPage.get(page);
        if (hit) hit.score += s * OPTIONAL_WEIGHT;
      });
      pagesWith(titleWordKey(w.word.term), function (page) {
        var hit = perPage.get(page);
        if (hit && (w.word.raw !== "vs" || hit.sides === sideMasks.length)) hit.score *= TITLE_LIFT;
      });
    });
    var intent = (words.optional || []).some(function (w) { return w.word.raw !== "vs"; });
    var lifted = new Set(), uncovered = null;
    if (!corrections.length && words.typed) pagesWith(words.typed, function (page) {
      var hit = perPage.get(page);
      if (hit) { hit.score *= EXACT_LIFT; lifted.add(page); }
    });
    (words.sides || []).forEach(function (side) {
      var part = words.slice(side[0], side[1]);
      var key = exactKey(part.map(function (w) { return w.word.term; }));
      var d = key && byIndex.get(shardIndex(m, key));
      if (!d || !d.get(key)) {
        if (part.length >= 2 && has(JOB, part[part.length - 1].word.term)) uncovered = part.map(function (w) { return w.word.raw; }).join(" ");
        return;
      }
      pagesWith(key, function (page) {
        var hit = perPage.get(page);
        if (!intent && hit && !lifted.has(page)) { hit.score *= EXACT_LIFT; lifted.add(page); }
      });
    });
    var all = Array.from(perPage.values());
    var complete = all.filter(function (h) { return h.sides > 0; });
    var partial = complete.length === 0 && all.length > 0;
    var hits = partial || uncovered !== null ? all : complete;
    // Pages with more sides whole first (both roles of "X vs Y" before one), then more words, then score.
    hits.sort(function (a, b) { return b.sides - a.sides || b.matched - a.matched || b.score - a.score || a.page - b.page; });
    return { hits: hits, partial: partial, words: words, corrections: corrections, uncovered: uncovered };
  }

  /* ---- Snippets: the text around the first matched word, matches in <mark> ---- */

  var WORDS = /[\p{L}\p{M}\p{N}]+(?:[-./_'\u2019][\p{L}\p{M}\p{N}]+)*/gu;

  function matcher(words) {
    return function (token) {
      for (var k = 0; k < words.length; k++) {
        var raw = words[k].word.raw;
        if (isCJK(raw.codePointAt(0)) && token.indexOf(raw) >= 0) return true;
      }
      var candidates = [];
      scan(token, function (parts) {
        parts.forEach(function (p) { candidates.push(p); });
        if (parts.length > 1) candidates.push(parts.join(""));
      }, function () {});
      for (var a = 0; a < candidates.length; a++) {
        var c = candidates[a], st = stem(c);
        for (var b = 0; b < words.length; b++) {
          var q = words[b];
          if (st === q.word.term || c === q.word.raw) return true;
          if (q.prefix && (c.indexOf(q.word.raw) === 0 || st.indexOf(q.word.term) === 0)) return true;
        }
      }
      return false;
    };
  }

  /* Appends text to el with matched words marked; with window, only ~30 words around the first match. */
  function highlight(el, text, matches, window) {
    var tokens = [], m;
    WORDS.lastIndex = 0;
    while ((m = WORDS.exec(text))) tokens.push({ at: m.index, end: m.index + m[0].length, hit: matches(m[0]) });
    var first = tokens.findIndex(function (t) { return t.hit; });
    var from = 0, to = text.length;
    if (window) {
      if (first < 0) return false;
      var a = Math.max(0, first - 8), z = Math.min(tokens.length - 1, first + 22);
      from = tokens[a].at;
      to = z === tokens.length - 1 ? text.length : tokens[z].end;
      if (from > 0) el.appendChild(document.createTextNode("… "));
    }
    var at = from;
    tokens.forEach(function (t) {
      if (!t.hit || t.at < from || t.end > to) return;
      el.appendChild(document.createTextNode(text.slice(at, t.at)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(t.at, t.end);
      el.appendChild(mark);
      at = t.end;
    });
    el.appendChild(document.createTextNode(text.slice(at, to)));
    if (window && to < text.length) el.appendChild(document.createTextNode(" …"));
    return first >= 0;
  }

  /* ---- The search box ---- */

  var form = document.querySelector("form.search");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var more = document.getElementById("search-more");
  if (!form || !input || !list || !status || !window.fetch || !window.TextDecoder) return;

  var PAGE = 8;
  var current = null, shown = 0, active = -1, sequence = 0, timer = 0;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", "search-results");
  input.setAttribute("aria-expanded", "false");

  function open(flag) {
    form.classList.toggle("open", flag);
    input.setAttribute("aria-expanded", flag && shown > 0 ? "true" : "false");
  }
  function setActive(k) {
    var options = list.querySelectorAll("[role=option]");
    if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
    active = k;
    if (active >= 0 && options[active]) {
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  /* "Showing results for salary", with the words as typed one click away. */
  var correction = document.createElement("p");
  correction.className = "search-correction";
  correction.hidden = true;
  list.parentNode.insertBefore(correction, list);
  function showCorrections(corrections, uncovered) {
    correction.textContent = "";
    correction.hidden = !(corrections && corrections.length) && !uncovered;
    if (correction.hidden) return;
    if (uncovered) {
      correction.appendChild(document.createTextNode("No guide here is titled \u201c" + uncovered + "\u201d; these pages come nearest."));
      if (!(corrections && corrections.length)) return;
      correction.appendChild(document.createTextNode(" "));
    }
    correction.appendChild(document.createTextNode("Showing results for "));
    var used = document.createElement("strong");
    used.textContent = corrections.map(function (c) { return c.used; }).join(" ");
    correction.appendChild(used);
    correction.appendChild(document.createTextNode(". "));
    var button = document.createElement("button");
    button.type = "button";
    button.className = "search-exact";
    button.textContent = "Search for \u201c" + corrections.map(function (c) { return c.typed; }).join(" ") + "\u201d instead";
    button.addEventListener("mousedown", function (e) { e.preventDefault(); });
    button.addEventListener("click", function () {
      sequence++;
      search(input.value, sequence, true);
      input.focus();
    });
    correction.appendChild(button);
  }

  function clear() {
    showCorrections(null, null);
    list.textContent = "";
    list.removeAttribute("data-query");
    status.textContent = "";
    if (more) more.hidden = true;
    shown = 0;
    setActive(-1);
    open(false);
  }

  function search(text, seq, exact) {
    run(text, exact).then(function (result) {
      if (seq !== sequence) return;
      current = { text: text, result: result };
      showCorrections(result.corrections, result.uncovered);
      list.textContent = "";
      shown = 0;
      setActive(-1);
      return showMore(seq);
    }).catch(function () {
      if (seq !== sequence) return;
      status.textContent = "Search is not available right now.";
      open(true);
    });
  }

  function showMore(seq) {
    var result = current.result, batch = result.hits.slice(shown, shown + PAGE);
    return loadManifest().then(function (m) {
      return Promise.all(batch.map(function (h) { return loadFragment(m, h.page); }));
    }).then(function (frags) {
      if (seq !== sequence) return;
      var matches = matcher(result.words);
      frags.forEach(function (f, j) { list.appendChild(option(f, shown + j, matches)); });
      shown += frags.length;
      var n = result.hits.length, q = current.text.trim();
      status.textContent = n === 0 ? "No results for \u201c" + q + "\u201d"
        : (result.partial ? "No page has every word; " + n + (n === 1 ? " result has" : " results have") + " some of them"
          : n + (n === 1 ? " result" : " results"));
      list.setAttribute("data-query", current.text);
      if (more) more.hidden = shown >= n;
      open(true);
    });
  }

  // Only pages of this site are followed: a fragment's URL must be relative and stay under the
  // site root (never javascript: or another origin, whatever the index holds).
  function siteURL(u) {
    if (typeof u !== "string" || /^[a-z][a-z0-9+.-]*:/i.test(u) || u.charAt(0) === "/" || u.indexOf("\\") >= 0) return null;
    var url = new URL(u, root);
    return url.origin === root.origin && url.pathname.indexOf(root.pathname) === 0 ? url.href : null;
  }

  /* One result: li[role=option] > a.search-link > span.search-hit > title, meta, snippet.
     The option is the only interactive element: the keyboard stays in the box (arrows move
     aria-activedescendant, Enter follows the link) and assistive technology sees an option,
     not a link nested in it. The link is there for the mouse (click, middle-click, open in a
     new tab): it is visibility: hidden, so it is neither focusable nor in the accessibility
     tree, while its contents are visible, so a click anywhere on the result still follows it.
     These two styles are set here, not in style.css, so a theme's own CSS cannot undo them.
     The option is named by its title (aria-labelledby), and described by the rest. */
  function option(f, k, matches) {
    var li = document.createElement("li");
    li.id = "search-option-" + k;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    var href = siteURL(f.u);
    var a = document.createElement(href ? "a" : "span");
    a.className = "search-link";
    if (href) {
      a.href = href;
      a.tabIndex = -1;
      a.style.visibility = "hidden";
    }
    var hit = document.createElement("span");
    hit.className = "search-hit";
    hit.style.visibility = "visible";
    a.appendChild(hit);
    var title = document.createElement("span");
    title.id = li.id + "-title";
    title.className = "search-title";
    highlight(title, f.t, matches, false);
    hit.appendChild(title);
    var meta = document.createElement("span");
    meta.id = li.id + "-meta";
    meta.className = "search-meta";
    var kind = document.createElement("span");
    kind.className = "search-kind";
    kind.textContent = f.k;
    meta.appendChild(kind);
    function part(text, name) {
      if (!text) return;
      var span = document.createElement("span");
      span.className = name;
      span.textContent = text;
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(span);
    }
    part(f.c, "search-category");
    part(f.m, "search-figure");
    if (f.a && !title.querySelector("mark")) {
      for (var j = 0; j < f.a.length; j++) {
        var alt = document.createElement("span");
        if (highlight(alt, f.a[j], matches, false) && alt.querySelector("mark")) {
          var also = document.createElement("span");
          also.className = "search-also";
          also.appendChild(document.createTextNode(" · also "));
          also.appendChild(alt);
          meta.appendChild(also);
          break;
        }
      }
    }
    hit.appendChild(meta);
    var snip = document.createElement("span");
    snip.id = li.id + "-snippet";
    snip.className = "search-snippet";
    if (!(f.s && highlight(snip, f.s, matches, true)) && !highlight(snip, f.x || "", matches, true)) {
      snip.textContent = f.s || (f.x || "").slice(0, 160);
    }
    hit.appendChild(snip);
    li.appendChild(a);
    // Named by its title, described by kind, category and snippet: what a screen reader says first is short.
    li.setAttribute("aria-labelledby", title.id);
    li.setAttribute("aria-describedby", meta.id + " " + snip.id);
    li.addEventListener("mousedown", function (e) { e.preventDefault(); });
    return li;
  }

  function onInput() {
    var text = input.value;
    sequence++;
    clearTimeout(timer);
    if (!text.trim()) { clear(); return; }
    var seq = sequence;
    timer = setTimeout(function () { search(text, seq); }, 40);
  }

  input.addEventListener("input", onInput);
  input.addEventListener("focus", function () { loadManifest().catch(function () {}); if (shown) open(true); });
  input.addEventListener("keydown", function (e) {
    var options = list.querySelectorAll("[role=option]");
    if (e.key === "ArrowDown" && options.length) {
      e.preventDefault();
      open(true);
      setActive(active + 1 < options.length ? active + 1 : 0);
    } else if (e.key === "ArrowUp" && options.length) {
      e.preventDefault();
      setActive(active > 0 ? active - 1 : options.length - 1);
    } else if (e.key === "Enter") {
      var target = options[active >= 0 ? active : 0];
      if (target && form.classList.contains("open")) {
        e.preventDefault();
        var link = target.querySelector("a");
        if (link) location.href = link.href;
      }
    } else if (e.key === "Escape") {
      if (form.classList.contains("open")) { e.preventDefault(); open(false); setActive(-1); }
      else if (input.value) { e.preventDefault(); input.value = ""; sequence++; clear(); }
    }
  });
  if (more) more.addEventListener("click", function () { showMore(sequence); input.focus(); });
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) open(false); });
  form.addEventListener("focusout", function (e) { if (!form.contains(e.relatedTarget)) open(false); });

  /* The no-JavaScript fallback sends ?q= to the A-Z page: run the search there. */
  var q = new URLSearchParams(location.search).get("q");
  if (q && !input.value) { input.value = q; input.focus(); onInput(); }

  window.guidegenSearch = { queryTerms: queryTerms, stem: stem, run: run, fold: fold, queryPlan: queryPlan, nearest: nearest };
})();
