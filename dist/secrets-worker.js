import './sourcemap-register.cjs';import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: ./src/secrets/rule.ts
function toPortable(rule) {
    return {
        id: rule.id,
        description: rule.description,
        keywords: rule.keywords,
        source: rule.pattern.source,
        flags: rule.pattern.flags,
        ...(rule.entropy !== undefined && { entropy: rule.entropy }),
        ...(rule.pkcs12Passwords && { pkcs12Passwords: rule.pkcs12Passwords })
    };
}
function fromPortable(rule) {
    return {
        id: rule.id,
        description: rule.description,
        keywords: rule.keywords,
        pattern: new RegExp(rule.source, rule.flags),
        ...(rule.entropy !== undefined && { entropy: rule.entropy }),
        ...(rule.pkcs12Passwords && { pkcs12Passwords: rule.pkcs12Passwords }),
        examples: { match: [], noMatch: [] }
    };
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/secrets/pkcs12.ts

/**
 * A PKCS#12 key store (`.p12`, `.pfx`) holds a private key, encrypted under its password. One
 * whose integrity MAC verifies under a well-known default (`notasecret` for Google service
 * accounts, `changeit` for Java) is as good as a plain private key; one with a password of its
 * own is not reported. RFC 7292 gives the structure and the MAC key derivation (appendix B).
 */
/** Iterations above this are not tried: a slow KDF is a deliberate protection, and the scan must stay fast. */
const MAX_MAC_ITERATIONS = 100_000;
/** DER of the digest algorithms a MAC may use: hash name and block size in bytes. */
const DIGESTS = {
    '2b0e03021a': { hash: 'sha1', blockSize: 64 },
    '608648016503040204': { hash: 'sha224', blockSize: 64 },
    '608648016503040201': { hash: 'sha256', blockSize: 64 },
    '608648016503040202': { hash: 'sha384', blockSize: 128 },
    '608648016503040203': { hash: 'sha512', blockSize: 128 }
};
/** 1.2.840.113549.1.7.1, PKCS#7 `data`: the only authSafe content type a password MAC covers. */
const PKCS7_DATA = '2a864886f70d010701';
/** One DER element at `offset`; undefined for indefinite or impossible lengths. */
function readElement(bytes, offset) {
    if (offset + 2 > bytes.length)
        return undefined;
    const tag = bytes[offset];
    let length = bytes[offset + 1];
    let start = offset + 2;
    if (length & 0x80) {
        const octets = length & 0x7f;
        if (octets === 0 || octets > 4 || start + octets > bytes.length)
            return undefined;
        length = bytes.subarray(start, start + octets).reduce((total, byte) => total * 256 + byte, 0);
        start += octets;
    }
    if (start + length > bytes.length)
        return undefined;
    return { tag, value: bytes.subarray(start, start + length), end: start + length };
}
/** The elements of a constructed value, in order; undefined when one does not parse. */
function children(value) {
    const elements = [];
    for (let offset = 0; offset < value.length;) {
        const element = readElement(value, offset);
        if (!element)
            return undefined;
        elements.push(element);
        offset = element.end;
    }
    return elements;
}
/** The MAC of a PFX structure; `no-mac` when it has none; undefined when the bytes are not one. */
function readPasswordMac(bytes) {
    const pfx = readElement(bytes, 0);
    if (pfx?.tag !== 0x30)
        return undefined;
    const [version, authSafe, macData] = children(pfx.value) ?? [];
    if (version?.tag !== 0x02 || version.value[0] !== 3 || authSafe?.tag !== 0x30)
        return undefined;
    const [contentType, explicit] = children(authSafe.value) ?? [];
    if (contentType?.tag !== 0x06 || contentType.value.toString('hex') !== PKCS7_DATA)
        return undefined;
    const content = explicit?.tag === 0xa0 ? readElement(explicit.value, 0) : undefined;
    if (content?.tag !== 0x04)
        return undefined;
    if (!macData)
        return 'no-mac';
    if (macData.tag !== 0x30)
        return undefined;
    const [digestInfo, salt, iterations] = children(macData.value) ?? [];
    const [algorithm, digest] = digestInfo?.tag === 0x30 ? (children(digestInfo.value) ?? []) : [];
    const [oid] = algorithm?.tag === 0x30 ? (children(algorithm.value) ?? []) : [];
    const known = oid?.tag === 0x06 ? DIGESTS[oid.value.toString('hex')] : undefined;
    if (!known || digest?.tag !== 0x04 || salt?.tag !== 0x04)
        return undefined;
    if (iterations && (iterations.tag !== 0x02 || iterations.value.length > 4))
        return undefined;
    return {
        ...known,
        digest: digest.value,
        salt: salt.value,
        iterations: iterations ? iterations.value.reduce((total, byte) => total * 256 + byte, 0) : 1,
        content: content.value
    };
}
/** RFC 7292 B.2 with ID 3 (MAC key), for a key no longer than one hash output. */
function macKey(mac, password) {
    const { blockSize } = mac;
    const repeatTo = (input) => {
        const length = blockSize * Math.ceil(input.length / blockSize);
        return Buffer.from(Uint8Array.from({ length }, (_, index) => input[index % input.length]));
    };
    let block = (0,external_node_crypto_namespaceObject.createHash)(mac.hash)
        .update(Buffer.alloc(blockSize, 3))
        .update(repeatTo(mac.salt))
        .update(password.length ? repeatTo(password) : password)
        .digest();
    for (let round = 1; round < mac.iterations; round++)
        block = (0,external_node_crypto_namespaceObject.createHash)(mac.hash).update(block).digest();
    return block;
}
/** A password as PKCS#12 hashes it: UTF-16 big-endian with a two-byte terminator. */
function bmpString(password) {
    const bytes = Buffer.from(`${password}\0`, 'utf16le');
    return bytes.swap16();
}
/** Whether `bytes` are a PKCS#12 store whose MAC verifies under one of `passwords`. */
function checkPkcs12(bytes, passwords) {
    const mac = readPasswordMac(bytes);
    if (!mac)
        return { kind: 'not-pkcs12' };
    if (mac === 'no-mac')
        return { kind: 'no-mac' };
    if (mac.iterations > MAX_MAC_ITERATIONS)
        return { kind: 'too-many-iterations' };
    for (const password of passwords) {
        // An empty password is hashed as a bare terminator by most tools, as nothing by some.
        const forms = password === '' ? [bmpString(''), Buffer.alloc(0)] : [bmpString(password)];
        for (const form of forms) {
            const expected = (0,external_node_crypto_namespaceObject.createHmac)(mac.hash, macKey(mac, form)).update(mac.content).digest();
            if (expected.length === mac.digest.length && (0,external_node_crypto_namespaceObject.timingSafeEqual)(expected, mac.digest))
                return { kind: 'default-password', password, mac: mac.digest.toString('hex') };
        }
    }
    return { kind: 'own-password' };
}

;// CONCATENATED MODULE: ./src/secrets/entropy.ts
/** Shannon entropy in bits per character: random tokens score high, words and repeats low. */
function shannonEntropy(text) {
    if (!text)
        return 0;
    const counts = new Map();
    for (const character of text)
        counts.set(character, (counts.get(character) ?? 0) + 1);
    let entropy = 0;
    const length = [...text].length;
    for (const count of counts.values()) {
        const p = count / length;
        entropy -= p * Math.log2(p);
    }
    return entropy;
}

;// CONCATENATED MODULE: ./src/secrets/keywords.ts
/**
 * Which of many keywords occur in a text, in one pass (Aho–Corasick, compiled to a DFA over ASCII,
 * case-insensitive). A rule's regex runs only when one of its keywords occurs, so this pass is
 * the scanner's prefilter: checking ~300 keywords with `includes` would read every file 300 times.
 */
class KeywordMatcher {
    keywords;
    /** next[state * 128 + character]: the DFA. Non-ASCII characters all map to column 0. */
    next;
    /** For each state, the keywords that end there (its own and those of its suffixes). */
    outputs;
    constructor(keywords) {
        this.keywords = keywords;
        const children = [new Map()];
        const ends = [[]];
        keywords.forEach((keyword, index) => {
            let state = 0;
            for (const code of codes(keyword)) {
                let child = children[state].get(code);
                if (child === undefined) {
                    child = children.length;
                    children.push(new Map());
                    ends.push([]);
                    children[state].set(code, child);
                }
                state = child;
            }
            ends[state].push(index);
        });
        const next = new Int32Array(children.length * 128);
        const fail = new Int32Array(children.length);
        const order = [];
        for (const [code, child] of children[0]) {
            next[code] = child;
            order.push(child);
        }
        // Breadth first: a state's failure link is known before its children need it.
        for (let head = 0; head < order.length; head++) {
            const state = order[head];
            ends[state].push(...ends[fail[state]]);
            for (let code = 0; code < 128; code++) {
                const child = children[state].get(code);
                if (child === undefined)
                    next[state * 128 + code] = next[fail[state] * 128 + code];
                else {
                    fail[child] = next[fail[state] * 128 + code];
                    next[state * 128 + code] = child;
                    order.push(child);
                }
            }
        }
        this.next = next;
        this.outputs = ends;
    }
    /** Indexes (into `keywords`) of the keywords that occur in `text`, ignoring ASCII case. */
    find(text) {
        const found = new Set();
        const { next, outputs } = this;
        let state = 0;
        for (let index = 0; index < text.length; index++) {
            let code = text.charCodeAt(index);
            if (code >= 65 && code <= 90)
                code += 32;
            else if (code >= 128)
                code = 0;
            state = next[state * 128 + code];
            const ending = outputs[state];
            if (ending.length)
                for (const keyword of ending)
                    found.add(keyword);
        }
        return found;
    }
}
/** A keyword's characters as DFA columns: lower-cased ASCII, anything else column 0. */
function codes(keyword) {
    return [...keyword.toLowerCase()].map((character) => {
        const code = character.charCodeAt(0);
        return code < 128 ? code : 0;
    });
}

;// CONCATENATED MODULE: ./src/util/placeholders.ts
/**
 * Values that stand in for a real secret or setting: a template was copied but never filled.
 * Shared by the `env` gate (rejects them where a real value is required) and the secret scanner
 * (does not report them).
 */
const PLACEHOLDER_PATTERNS = [
    [/^(change[-_ ]?me|changeit)$/i, 'a "changeme" placeholder'],
    [/^(your|my)[-_ ][a-z0-9_ -]*$/i, 'a "your_…" placeholder'],
    [/^x{3,}$/i, 'an "xxx" placeholder'],
    [/^<[^>]*>$/, 'a "<…>" placeholder'],
    [/^\$\{[^}]*\}$/, 'an unexpanded "${…}" reference'],
    [/^\$[A-Z_][A-Z0-9_]*$/, 'an unexpanded "$NAME" reference'],
    [/^process\.env\.[A-Za-z_][A-Za-z0-9_]*$/, 'a "process.env.X" reference'],
    [
        /^(example|sample|dummy|placeholder|replace[-_ ]?me|todo|tbd|fixme|test|none|null|undefined|secret|password)$/i,
        'a placeholder word'
    ],
    [
        /^(insert|put|add|enter)[-_ ]?(your|the|a)?[-_ ]?[a-z0-9_-]*[-_ ]?here$/i,
        'a "…here" placeholder'
    ]
];
/** Why a value is a placeholder, or undefined when it looks like a real value. */
function placeholderReason(value) {
    const trimmed = value.trim();
    for (const [pattern, reason] of PLACEHOLDER_PATTERNS) {
        if (pattern.test(trimmed))
            return reason;
    }
    if (trimmed.length >= 3 && new Set(trimmed).size === 1)
        return 'one character repeated';
    return undefined;
}

;// CONCATENATED MODULE: ./src/secrets/placeholders.ts

/** A token's vendor prefix (`ghp_`, `sk_live_`, `dckr_pat_`, `xoxb-`): the rest is its value. */
const VENDOR_PREFIX = /^(?:[A-Za-z0-9]{1,10}[_-]){1,3}/;
/**
 * A match that only stands in for a secret. Placeholders as the `env` gate knows them
 * (`changeme`, `your_…`, `<…>`, `${…}`, `process.env.X`, one character repeated), also after a
 * vendor prefix (`ghp_your_token`); masked or filler values (`xxxxxx`, `****`, `####`, `…`,
 * AWS's `…EXAMPLE`, `[PASSWORD]`); template expressions (`{{ .Values.password }}`, `${TOKEN}`, `$(PASS)`).
 */
function isPlaceholderSecret(secret) {
    if (/\$[{(]|\{\{|%\(|<[A-Za-z_ -]+>|^\$[A-Za-z_]|^\{[^}]*\}$|\*{3,}|#{4,}|\.{3}|…/.test(secret))
        return true;
    if (/x{6,}|X{6,}|EXAMPLE|put[_-]?your|_here\b|\[[A-Z_ ]{3,}\]/.test(secret))
        return true;
    if (isEncodedProse(secret))
        return true;
    // Base64 padding is not part of a value's randomness: `glc_1111…1=` is one character repeated.
    const bare = secret.replace(/=+$/, '');
    const values = [bare, bare.replace(VENDOR_PREFIX, '')];
    return values.some((value) => placeholderReason(value) !== undefined ||
        /^(?:(?:my|your|the|some)pass(?:word)?\d*$|password\d*$|x{3,}|your|my[_-]|example|sample|dummy|placeholder|changeme|redacted|replace|insert|fake)/.test(value));
}
/**
 * A value that names something rather than being a secret: an identifier, a property path, a
 * relative path, an ARN, an expression (`var.db_password`, `!!config.withCredentials`,
 * `DYNATRACE_API_KEY`), a URL query, or a version (`jjwt-jackson-0.11.2`). A word (with digits
 * at its end) is a name (`SensitiveString2048`, `fieldMapping`), unless it is a quoted password.
 * Only the keyword-anchored rules ask: a vendor format is evidence enough.
 */
function isIdentifierLike(secret, quoted = true, passwordKey = false) {
    const value = secret.replace(/[.,;]+$/, '');
    if (/\d+\.\d+\.\d+/.test(value))
        return true;
    if (/^[A-Za-z_]{2,}=[A-Za-z_]|&[A-Za-z_-]+=/.test(value))
        return true;
    if (/^!|===|&&|\|\|/.test(value))
        return true;
    // `user:token`, `username:password`: names, not credentials.
    if (/^[A-Za-z_]+:[A-Za-z_]*$/.test(value))
        return true;
    // A word (with digits at its end) is code, unless a quoted password: people pick words
    // (`rootpasswd`); token and key values are never words.
    if (/^[A-Za-z_$]+\d{0,4}$/.test(value) && !(quoted && passwordKey))
        return true;
    if (/^[A-Za-z_$]+\d{0,2}(?:\.[A-Za-z_$]+\d{0,2})+$|^\.{0,2}\/|^\/\*|^arn:/.test(value))
        return true;
    // Words joined by _ . - and no digit: a name, not a random token.
    if (/^[A-Za-z]+(?:[_.-][A-Za-z]+)+[=]?$/.test(value))
        return true;
    if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+=?$/.test(value))
        return true;
    // snake_case of three or more parts: `auth_provider_x509_cert_url`.
    return /^[a-z][a-z0-9]*(?:_[a-z0-9]+){2,}$/.test(value);
}
/**
 * Base64 that decodes to words and spaces (`ZHVtbXkgdGV4dC…` is "dummy text…"): encoded prose,
 * not a key, whose bytes would be random. `user:pass` has no space and still counts.
 */
function isEncodedProse(value) {
    if (value.length < 16 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0)
        return false;
    const text = Buffer.from(value, 'base64').toString('latin1');
    return /^[A-Za-z ,.'!?-]+\n?$/.test(text) && text.includes(' ');
}

;// CONCATENATED MODULE: ./src/secrets/scan.ts



/** The marker that allows a secret on its own line: `release-gates:allow-secret`. */
const ALLOW_COMMENT = 'release-gates:allow-secret';
/**
 * Finds secrets in one text. A rule's regex runs only when one of its keywords occurs; a match
 * counts when its secret is not a placeholder, reaches the rule's entropy, is not allowed, and
 * does not overlap a match of an earlier (more specific) rule.
 */
function scanText(text, rules, options = {}) {
    const prefilter = prefilterFor(rules);
    const present = prefilter.matcher.find(text);
    if (!present.size)
        return [];
    const lineStarts = lineStartsOf(text);
    const found = [];
    for (const [ruleIndex, rule] of rules.entries()) {
        if (!prefilter.keywordsOf[ruleIndex].some((keyword) => present.has(keyword)))
            continue;
        const pattern = rule.pattern;
        pattern.lastIndex = 0;
        for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
            if (match[0] === '') {
                pattern.lastIndex++;
                continue;
            }
            const secret = match.groups?.secret ?? match.slice(1).find((group) => group) ?? match[0];
            const start = match.index + Math.max(0, match[0].indexOf(secret));
            const end = start + secret.length;
            if (found.some((other) => start < other.end && other.start < end))
                continue;
            if (isPlaceholderSecret(secret))
                continue;
            // A keyword-anchored rule (its secret is a named group) must not report a name.
            if (match.groups?.secret !== undefined &&
                isIdentifierLike(secret, match.groups.quote !== undefined, /pass|pwd/i.test(match.groups.key ?? '')))
                continue;
            if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy)
                continue;
            const line = lineIndexAt(lineStarts, start);
            const lineText = text.slice(lineStarts[line], (lineStarts[line + 1] ?? text.length + 1) - 1);
            if (lineText.includes(ALLOW_COMMENT))
                continue;
            if (options.skipLine?.test(lineText))
                continue;
            if (options.allow?.some((allow) => allow.test(secret) || allow.test(lineText)))
                continue;
            found.push({
                ruleId: rule.id,
                line: line + 1,
                column: start - lineStarts[line] + 1,
                endColumn: Math.min(end, (lineStarts[line + 1] ?? text.length + 1) - 1) - lineStarts[line] + 1,
                secret,
                start,
                end
            });
        }
    }
    return found
        .sort((a, b) => a.start - b.start)
        .map(({ start: _start, end: _end, ...match }) => match);
}
const prefilters = new WeakMap();
/** One keyword automaton per rule set, built once: every keyword of every rule, by index. */
function prefilterFor(rules) {
    let prefilter = prefilters.get(rules);
    if (!prefilter) {
        const keywords = [...new Set(rules.flatMap((rule) => rule.keywords))];
        prefilter = {
            matcher: new KeywordMatcher(keywords),
            keywordsOf: rules.map((rule) => rule.keywords.map((keyword) => keywords.indexOf(keyword)))
        };
        prefilters.set(rules, prefilter);
    }
    return prefilter;
}
function lineStartsOf(text) {
    const starts = [0];
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1))
        starts.push(index + 1);
    return starts;
}
/** The 0-based line holding `offset` (binary search over line starts). */
function lineIndexAt(starts, offset) {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (starts[middle] <= offset)
            low = middle;
        else
            high = middle - 1;
    }
    return low;
}

;// CONCATENATED MODULE: ./src/secrets/content.ts



/** Lockfiles whose integrity and checksum lines are hashes, not secrets. */
const LOCKFILES = new Set([
    'package-lock.json',
    'npm-shrinkwrap.json',
    'yarn.lock',
    'pnpm-lock.yaml',
    'bun.lock',
    'composer.lock',
    'Gemfile.lock',
    'poetry.lock',
    'Cargo.lock',
    'go.sum'
]);
const LOCKFILE_HASH_LINE = /^\s*"?(?:integrity|checksum|resolution|shasum|hash|content-hash)"?\s*[:=]|\bsha(?:1|256|512)-[A-Za-z0-9+/=]{20,}|^\S+ v\d\S* h1:/;
/**
 * Scans one file's bytes: binary files, minified bundles and files over the size cap are skipped;
 * a lockfile's hash lines are not searched.
 */
function scanContent(bytes, path, rules, options) {
    if (bytes.length > options.maxFileSize)
        return { skipped: 'too large', matches: [] };
    if (bytes.subarray(0, 8000).includes(0) || !isUtf8Text(bytes))
        return { skipped: 'binary', matches: keyStoreMatches(bytes, rules) };
    const text = bytes.toString('utf8');
    if (options.skipMinified && isMinified(path, text))
        return { skipped: 'minified', matches: [] };
    const lockfile = LOCKFILES.has((0,external_node_path_namespaceObject.basename)(path));
    return {
        matches: scanText(text, rules, {
            ...options,
            ...(lockfile && { skipLine: LOCKFILE_HASH_LINE })
        })
    };
}
/**
 * A binary file is searched only as a key store: a PKCS#12 file that opens with a well-known
 * password is reported at its first byte. Its secret, for the fingerprint and the preview, is
 * the store's MAC, which the key determines; the password is a published default.
 */
function keyStoreMatches(bytes, rules) {
    if (bytes[0] !== 0x30)
        return [];
    for (const rule of rules) {
        if (!rule.pkcs12Passwords)
            continue;
        const verdict = checkPkcs12(bytes, rule.pkcs12Passwords);
        if (verdict.kind === 'default-password')
            return [{ ruleId: rule.id, line: 1, column: 1, endColumn: 1, secret: verdict.mac }];
    }
    return [];
}
/** Text with more than 1 % control characters (other than tab and line ends) is binary. */
function isUtf8Text(bytes) {
    const sample = bytes.subarray(0, 8000).toString('latin1');
    // eslint-disable-next-line no-control-regex
    const controls = sample.match(/[\x00-\x08\x0e-\x1f]/g)?.length ?? 0;
    return controls <= sample.length / 100;
}
/** `*.min.js`, source maps, or long lines on average: a bundle, not source anyone wrote. */
function isMinified(path, text) {
    if (/\.min\.(?:js|mjs|cjs|css)$|\.(?:js|css)\.map$/.test(path))
        return true;
    if (text.length < 4096)
        return false;
    const lines = text.split('\n', 200);
    const sampled = lines.reduce((total, line) => total + line.length, 0);
    return sampled / lines.length > 500;
}

;// CONCATENATED MODULE: ./src/secrets/scan-file.ts



/**
 * Reads one file under `root` and scans it. A file over the size cap is skipped by its size,
 * before any of it is read: memory stays bounded by the cap, however large the file. Undefined
 * when the file cannot be read (tracked but deleted in the working tree, or a submodule).
 */
function scanFile(root, path, rules, options) {
    let descriptor;
    try {
        // Non-blocking: a named pipe in the tree must not hang the scan (it is then not a file).
        descriptor = (0,external_node_fs_namespaceObject.openSync)((0,external_node_path_namespaceObject.join)(root, path), external_node_fs_namespaceObject.constants.O_RDONLY | external_node_fs_namespaceObject.constants.O_NONBLOCK);
    }
    catch {
        return undefined;
    }
    try {
        const stats = (0,external_node_fs_namespaceObject.fstatSync)(descriptor);
        if (!stats.isFile())
            return undefined;
        if (stats.size > options.maxFileSize)
            return { skipped: 'too large', matches: [] };
        return scanContent((0,external_node_fs_namespaceObject.readFileSync)(descriptor), path, rules, options);
    }
    catch {
        return undefined;
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(descriptor);
    }
}

;// CONCATENATED MODULE: ./src/secrets/worker.ts
// A secret-scanning worker thread: reads and scans the files it is sent, one at a time, and
// answers with what it found. Bundled as dist/secrets-worker.js; see pool.ts.



const setup = external_node_worker_threads_namespaceObject.workerData;
const rules = setup.rules.map(fromPortable);
const options = {
    maxFileSize: setup.maxFileSize,
    skipMinified: setup.skipMinified,
    allow: setup.allow.map((source) => new RegExp(source))
};
external_node_worker_threads_namespaceObject.parentPort.on('message', (request) => {
    const result = { matches: [], skipped: {}, scanned: 0 };
    for (const path of request.paths) {
        const verdict = scanFile(setup.root, path, rules, options);
        if (!verdict)
            continue;
        if (verdict.skipped)
            result.skipped[verdict.skipped] = (result.skipped[verdict.skipped] ?? 0) + 1;
        else
            result.scanned++;
        for (const match of verdict.matches)
            result.matches.push({ ...match, path });
    }
    external_node_worker_threads_namespaceObject.parentPort.postMessage(result);
});


//# sourceMappingURL=secrets-worker.js.map
