/*
 * ssmlkit._cscan: the scanner's fast path, in C.
 *
 * ssmlkit/_pyscan.py is the scanner: tolerant, position-exact, and the reference for what a scan
 * returns. This module handles only the common case, a document with nothing for the scanner to
 * report, and builds exactly the nodes _pyscan.py would build for it (same classes, values and
 * spans; tests/property/test_cscan_props.py checks that on generated and mutated documents).
 * Whenever the input leaves that case (a character XML forbids, a DOCTYPE, a CDATA section, a
 * processing instruction, a non-ASCII name, a duplicate attribute, a reference it does not know, a
 * mismatched or unclosed tag, nesting past MAX_DEPTH ...), scan() returns None and the caller runs
 * the Python scanner, which says what is wrong. The fast path reports one problem only, and only
 * when asked to (a list as scan()'s third argument): a bare '&' in character data ("R&D"), the
 * commonest slip in hand-written SSML. It then appends the '&''s offset to the list and reads the
 * '&' as text, exactly as the Python scanner does (see bare_ampersand()); ssmlkit._scan words the
 * problems. Everything else it never reports, so it cannot disagree with the reference about a
 * problem. It does take what real documents carry:
 * CR and CRLF line ends (normalised as _pyscan.py does), an XML declaration (the caller's
 * body_start skips it), prefixed names, xml:lang and xml:id, and namespace declarations.
 *
 * It is also strict enough that libxml2 accepts whatever it accepts (no "]]>" in text, namespace
 * declarations only of plain absolute URIs, no reserved "xml" prefixes but xml:lang/xml:id, no two
 * prefixed attributes with one local name, names and runs well under libxml2's limits), so parse()
 * skips its lxml check for a document the fast path took. The property tests check that claim
 * against lxml too (with the Python path's declarations of undeclared prefixes, as parse() makes).
 *
 * Interface (called by ssmlkit._scan):
 *     configure(Span, Text, Comment, UnknownElement, known_elements, max_depth)
 *     scan(text, body_start[, bare]) -> tuple of top-level nodes | None
 *
 * Without `bare`, any bare '&' declines the input; with a list, the offsets of bare '&'s in
 * character data go into it (at most MAX_BARE; more decline), and a non-empty list means the
 * document has those problems (libxml2 refuses it, so nothing is claimed about libxml2 then).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

/* Classes and names set by configure(); the module keeps one reference to each. */
static PyTypeObject *span_type, *text_type, *comment_type, *unknown_type;
static PyObject *known; /* dict: tag name -> element class */
static Py_ssize_t max_depth = 255;
static PyObject *empty_tuple;

/* Where each field lives in a node: the offsets of the classes' __slots__, read from their member
 * descriptors by configure(). Writing a fresh node's slots directly is what object.__setattr__
 * does through the descriptor, without the look-ups (a third of the fast path's time). */
enum { F_VALUE, F_SPAN, F_ATTRS, F_CHILDREN, F_START_TAG, F_END_TAG, F_ATTR_SPANS, F_VALUE_SPANS,
       F_QNAME, F_ELEMENT_SPAN, N_FIELDS };
static Py_ssize_t offsets[N_FIELDS];

/* A request to hand the input to the Python scanner: not an error, no exception set. */
#define FALLBACK (-2)

/* What the fast path accepts, libxml2 must accept too, because the caller then skips the lxml
 * check. libxml2 (without huge_tree) refuses a name over 50,000 bytes and a text node, attribute
 * value or comment over 10,000,000 bytes: past these (far smaller) lengths, fall back, and the
 * Python scanner and lxml decide. 2,400,000 code points are at most 9,600,000 UTF-8 bytes. */
#define MAX_NAME 1000
#define MAX_RUN 2400000
#define INT_CACHE 256
#define MAX_KNOWN 16
/* The deepest nesting configure() takes (ssmlkit uses 255, libxml2's own default limit is 256). */
#define MAX_DEPTH_LIMIT 100000
/* The most bare '&'s one scan reports: ssmlkit's MAX_PROBLEMS, past which the Python scanner stops
 * reading and says so. ssmlkit._scan checks the count against MAX_PROBLEMS itself too. */
#define MAX_BARE 1000

/* The dialect's element names (the keys of the known-elements dict) and their classes, so that a
 * tag is matched without making a string, and the name object is shared. */
static PyObject *known_names[MAX_KNOWN];
static PyObject *known_classes[MAX_KNOWN];
static Py_ssize_t n_known;

typedef struct {
    PyObject *text;
    int kind;
    const void *data;
    Py_ssize_t len;
    Py_ssize_t *lines; /* offsets where lines start: lines[0] == 0 */
    Py_ssize_t nlines;
    int has_cr; /* a carriage return somewhere: text and comments need their line ends normalised */
    /* Recent int objects by value (direct-mapped): neighbouring spans share offsets and columns,
     * and allocating fewer ints is a quarter of the time on markup-dense input. */
    struct {
        Py_ssize_t key;
        PyObject *obj;
    } ints[INT_CACHE];
} Source;

#define READ(src, i) PyUnicode_READ((src)->kind, (src)->data, (i))

typedef struct {
    Py_ssize_t start;      /* offset of '<' */
    Py_ssize_t name_start; /* offset and length of the name, for matching the end tag */
    Py_ssize_t name_len;
    PyObject *cls; /* the element's class (borrowed: held by `known`), NULL for UnknownElement */
    PyObject *name, *start_tag, *attrs, *attr_spans, *value_spans, *children;
} Frame;

static void frame_clear(Frame *f)
{
    Py_CLEAR(f->name);
    Py_CLEAR(f->start_tag);
    Py_CLEAR(f->attrs);
    Py_CLEAR(f->attr_spans);
    Py_CLEAR(f->value_spans);
    Py_CLEAR(f->children);
}

static int is_xml_char(Py_UCS4 c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

static int is_space(Py_UCS4 c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static int is_name_start(Py_UCS4 c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(Py_UCS4 c)
{
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

/* The end of the ASCII name starting at i, or -1 when none starts there. A name followed by a
 * character _scan.py's NAME pattern would still take (':', a non-ASCII letter, U+00B7) is left to
 * the caller, which then meets a character it does not expect and falls back. */
static Py_ssize_t name_end(Source *src, Py_ssize_t i)
{
    Py_ssize_t start = i;
    if (i >= src->len || !is_name_start(READ(src, i)))
        return -1;
    i++;
    while (i < src->len && is_name_char(READ(src, i)))
        i++;
    return i - start > MAX_NAME ? -1 : i;
}

/* The end of the name starting at i, which may be qualified: an ASCII prefix, ':' and an ASCII
 * local part (what libxml2's namespace parser takes as a QName). *colon is the offset of the ':',
 * or -1. A second ':' is left to the caller, which does not expect it and falls back. */
static Py_ssize_t qname_end(Source *src, Py_ssize_t i, Py_ssize_t *colon)
{
    Py_ssize_t j = name_end(src, i);
    *colon = -1;
    if (j < 0 || j >= src->len || READ(src, j) != ':')
        return j;
    Py_ssize_t k = name_end(src, j + 1);
    if (k < 0 || k - i > MAX_NAME)
        return -1;
    *colon = j;
    return k;
}

/* Whether source[start:start+len] is the ASCII word w; with fold, ignoring ASCII case. */
static int is_word(Source *src, Py_ssize_t start, Py_ssize_t len, const char *w, int fold)
{
    Py_ssize_t m = 0;
    for (; m < len && w[m]; m++) {
        Py_UCS4 c = READ(src, start + m);
        if (fold && c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (c != (Py_UCS4)(unsigned char)w[m])
            return 0;
    }
    return m == len && !w[m];
}

/* Whether a prefix of that length at start begins with "xml" in any case: reserved by the
 * Namespaces spec; libxml2 treats "xml" and "xmlns" specially, and the rest is left to it. */
static int reserved_prefix(Source *src, Py_ssize_t start, Py_ssize_t len)
{
    return len >= 3 && is_word(src, start, 3, "xml", 1);
}

static int uri_char(Py_UCS4 c)
{
    /* c < 0x80 first: strchr converts its argument to char, so U+672C would match ',' and
     * U+1F600 the terminator (found by scripts/fuzz.sh: lxml refused the URIs C took). */
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != 0 && c < 0x80 && strchr("-._~/:@!$*+,;=", (int)c) != NULL);
}

/* Whether a namespace declaration's value source[start:end] (unquoted, not decoded) is a name
 * libxml2 takes without a namespace error. Only a plain absolute URI is proven so: a scheme, then
 * either "//" host [":" port] and a path, or a path; an optional "?query" and one "#fragment";
 * no reference, percent escape, space or non-ASCII character. The two reserved names (the xml and
 * xmlns namespaces) are refused, and an empty value is taken only for a default namespace. Anything
 * else (a relative or odd URI that libxml2 may or may not take) falls back, and lxml decides. */
static int plain_namespace(Source *src, Py_ssize_t start, Py_ssize_t end, int is_default)
{
    static const char *reserved[] = {"http://www.w3.org/XML/1998/namespace",
                                     "http://www.w3.org/2000/xmlns/"};
    Py_ssize_t n = end - start, i = start;
    if (n == 0)
        return is_default;
    if (n > MAX_NAME)
        return 0;
    for (size_t k = 0; k < sizeof reserved / sizeof reserved[0]; k++)
        if (is_word(src, start, n, reserved[k], 0))
            return 0;
    Py_UCS4 c = READ(src, i);
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        return 0;
    for (i++; i < end; i++) { /* the scheme */
        c = READ(src, i);
        if (c == ':')
            break;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.'))
            return 0;
    }
    if (i >= end)
        return 0;
    i++;
    if (i + 1 < end && READ(src, i) == '/' && READ(src, i + 1) == '/') { /* an authority */
        Py_ssize_t host = i += 2;
        while (i < end && ((c = READ(src, i)) == '-' || c == '.' || c == '_' || c == '~' ||
                           (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9')))
            i++;
        if (i == host)
            return 0;
        if (i < end && READ(src, i) == ':') {
            Py_ssize_t port = ++i;
            while (i < end && (c = READ(src, i)) >= '0' && c <= '9')
                i++;
            if (i == port)
                return 0;
        }
        if (i < end && (c = READ(src, i)) != '/' && c != '?' && c != '#')
            return 0;
    }
    int fragment = 0;
    for (; i < end; i++) {
        c = READ(src, i);
        if (c == '#') {
            if (fragment)
                return 0;
            fragment = 1;
        }
        else if (c != '?' && !uri_char(c))
            return 0;
    }
    return 1;
}

/* The first character at or after i that ends a run of character data ('<' or '&') or needs a
 * look ('>', which may end a forbidden "]]>"), or len. Typed loops per string kind: the generic
 * PyUnicode_READ switch costs several times more. */
#define FIND_MARKUP(T)                                                                             \
    {                                                                                              \
        const T *p = (const T *)src->data;                                                         \
        while (i < src->len && p[i] != '<' && p[i] != '&' && p[i] != '>')                          \
            i++;                                                                                   \
        return i;                                                                                  \
    }
static Py_ssize_t find_markup(Source *src, Py_ssize_t i)
{
    switch (src->kind) {
    case PyUnicode_1BYTE_KIND:
        FIND_MARKUP(Py_UCS1)
    case PyUnicode_2BYTE_KIND:
        FIND_MARKUP(Py_UCS2)
    default:
        FIND_MARKUP(Py_UCS4)
    }
}

/* Append a line start; -1 (MemoryError set) when the array cannot grow. */
static int add_line(Source *src, Py_ssize_t *cap, Py_ssize_t start)
{
    if (src->nlines == *cap) {
        *cap *= 2;
        Py_ssize_t *grown = PyMem_Realloc(src->lines, (size_t)*cap * sizeof(Py_ssize_t));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        src->lines = grown;
    }
    src->lines[src->nlines++] = start;
    return 0;
}

/* Every character below U+0020 other than tab, line feed and carriage return sends the input to
 * the Python scanner (they are errors), as do, above U+D7FF, surrogates and U+FFFE/U+FFFF. A
 * carriage return ends a line ("\r\n" one line end), and marks the text for normalisation. */
#define INDEX_LINES(T)                                                                             \
    {                                                                                              \
        const T *p = (const T *)src->data;                                                         \
        for (Py_ssize_t i = 0; i < src->len; i++) {                                                \
            Py_UCS4 c = p[i];                                                                      \
            if (c >= 0x20 && c < 0xD800)                                                           \
                continue;                                                                          \
            if (c == '\n' || c == '\r') {                                                         \
                if (c == '\r') {                                                                   \
                    src->has_cr = 1;                                                               \
                    if (i + 1 < src->len && p[i + 1] == '\n')                                      \
                        i++; /* "\r\n" ends one line, as in LineIndex */                            \
                }                                                                                  \
                if (add_line(src, &cap, i + 1) < 0)                                                \
                    return -1;                                                                     \
            }                                                                                      \
            else if (!is_xml_char(c))                                                              \
                return FALLBACK;                                                                   \
        }                                                                                          \
        return 0;                                                                                  \
    }

/* First pass: where lines start, and whether anything sends the input to the Python scanner.
 * src->lines is allocated here and freed by the caller, whatever this returns. */
static int index_lines(Source *src)
{
    Py_ssize_t cap = 16;
    src->lines = PyMem_Malloc((size_t)cap * sizeof(Py_ssize_t));
    if (src->lines == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    src->lines[0] = 0;
    src->nlines = 1;
    switch (src->kind) {
    case PyUnicode_1BYTE_KIND:
        INDEX_LINES(Py_UCS1)
    case PyUnicode_2BYTE_KIND:
        INDEX_LINES(Py_UCS2)
    default:
        INDEX_LINES(Py_UCS4)
    }
}

/* 1-based line and column of an offset (bisect_right over the line starts, as LineIndex does). */
static void position(Source *src, Py_ssize_t offset, Py_ssize_t *line, Py_ssize_t *column)
{
    Py_ssize_t lo = 0, hi = src->nlines;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (src->lines[mid] <= offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    *line = lo;
    *column = offset - src->lines[lo - 1] + 1;
}

/* CPython's own small ints 0..256, held from module init: most lines and many columns are
 * small, and PyLong_FromSsize_t's own look-up for them was a tenth of a scan. */
#define SMALL_INTS 257
static PyObject *small_ints[SMALL_INTS];

/* An int for v: CPython's own small ints, or this scan's cache. New reference. */
static PyObject *get_int(Source *src, Py_ssize_t v)
{
    if (v >= 0 && v < SMALL_INTS)
        return Py_NewRef(small_ints[v]);
    if (v < 0)
        return PyLong_FromSsize_t(v);
    size_t slot = (size_t)v & (INT_CACHE - 1);
    if (src->ints[slot].obj != NULL && src->ints[slot].key == v)
        return Py_NewRef(src->ints[slot].obj);
    PyObject *obj = PyLong_FromSsize_t(v);
    if (obj != NULL) {
        Py_XSETREF(src->ints[slot].obj, Py_NewRef(obj));
        src->ints[slot].key = v;
    }
    return obj;
}

/* o (a new reference, or NULL), no longer watched by the cyclic collector: for the tuples made
 * here that hold only ints, strings, or such tuples, and so can never be part of a cycle. They are
 * most of a tree's objects (a span per node, two per attribute), and the tree lives while the
 * linter's rules allocate: the collections meanwhile re-walked them all, at a third of the
 * scan's own cost (CPython untracks exact tuples of atoms itself, but only once a collection has
 * walked them, and never a Span, a tuple subclass). Nodes and children tuples stay tracked, so
 * a cycle made through a node is still found (tests/unit/test_cscan_gc.py). */
static PyObject *untracked(PyObject *o)
{
    if (o != NULL)
        PyObject_GC_UnTrack(o);
    return o;
}

/* A Span (a tuple subclass, built as CPython builds tuple subclasses: tp_alloc, then items).
 *
 * Since 3.14 a tuple caches its hash in ob_hash, and -1 means "not computed yet". tp_alloc
 * zeroes the object, so a span would claim the cached hash 0: equal spans would hash apart and
 * sets mixing C and Python spans would go wrong. CPython's own tuple_subtype_new resets the cache
 * after tp_alloc; so does this (tests/unit/test_cscan_bugs.py checks hash(span) ==
 * hash(tuple(span)) on every interpreter it finds). */
static PyObject *make_span(Source *src, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t line, column, end_line, end_column;
    position(src, start, &line, &column);
    position(src, end, &end_line, &end_column);
    Py_ssize_t values[6] = {start, end, line, column, end_line, end_column};
    PyObject *span = span_type->tp_alloc(span_type, 6);
    if (span == NULL)
        return NULL;
#if PY_VERSION_HEX >= 0x030E0000
    ((PyTupleObject *)span)->ob_hash = -1;
#endif
    for (int k = 0; k < 6; k++) {
        PyObject *v = get_int(src, values[k]);
        if (v == NULL) {
            Py_DECREF(span);
            return NULL;
        }
        PyTuple_SET_ITEM(span, k, v);
    }
    return untracked(span);
}

/* Set a slot of a node just made (the class's own __setattr__ refuses: the nodes are frozen). */
static void set_field(PyObject *obj, int field, PyObject *value)
{
    PyObject **slot = (PyObject **)((char *)obj + offsets[field]);
    Py_XSETREF(*slot, Py_NewRef(value));
}

static PyObject *new_node(PyTypeObject *type)
{
    return PyBaseObject_Type.tp_new(type, empty_tuple, NULL);
}

/* A Text or Comment node. Steals nothing; returns a new reference. */
static PyObject *make_valued(PyTypeObject *type, PyObject *value, PyObject *span)
{
    PyObject *node = new_node(type);
    if (node == NULL)
        return NULL;
    set_field(node, F_VALUE, value);
    set_field(node, F_SPAN, span);
    return node;
}

/* The element for a closed frame; appends it to parent. end_tag may be Py_None.
 *
 * This is ssmlkit.model.scanned_element, the Python scanner's one way to make an element, kept in
 * C: the same contract (the class from the same known-elements table, else UnknownElement with
 * the name as qname; attrs and children taken as they are; the seven fields model._fill sets),
 * written as direct slot stores because calling the Python factory per element would cost more
 * than the whole C scan of the element. tests/unit/test_scan_elements.py checks that what this
 * builds equals, field by field, what scanned_element builds from the same parts. */
static int close_element(Frame *f, PyObject *span, PyObject *end_tag, PyObject *parent)
{
    PyObject *cls = f->cls;
    PyObject *element = new_node(cls != NULL ? (PyTypeObject *)cls : unknown_type);
    if (element == NULL)
        return -1;
    PyObject *children =
        f->children != NULL ? PyList_AsTuple(f->children) : Py_NewRef(empty_tuple);
    if (children == NULL) {
        Py_DECREF(element);
        return -1;
    }
    if (cls == NULL)
        set_field(element, F_QNAME, f->name);
    set_field(element, F_ATTRS, f->attrs);
    set_field(element, F_CHILDREN, children);
    set_field(element, F_ELEMENT_SPAN, span);
    set_field(element, F_START_TAG, f->start_tag);
    set_field(element, F_END_TAG, end_tag);
    set_field(element, F_ATTR_SPANS, f->attr_spans);
    set_field(element, F_VALUE_SPANS, f->value_spans);
    int rc = PyList_Append(parent, element);
    Py_DECREF(children);
    Py_DECREF(element);
    return rc;
}

/* The reference starting at '&' at i: its end (after ';') and the character it names, or -1
 * when _scan.py would report it (unknown name, no ';', a character XML forbids ...). */
static Py_ssize_t reference(Source *src, Py_ssize_t i, Py_UCS4 *out)
{
    Py_ssize_t n = src->len, j = i + 1;
    if (j < n && READ(src, j) == '#') {
        int hex = j + 1 < n && READ(src, j + 1) == 'x';
        j += hex ? 2 : 1;
        Py_ssize_t digits = 0, significant = 0;
        Py_UCS4 code = 0;
        for (; j < n; j++) {
            Py_UCS4 c = READ(src, j);
            int d;
            if (c >= '0' && c <= '9')
                d = (int)(c - '0');
            else if (hex && c >= 'a' && c <= 'f')
                d = (int)(c - 'a' + 10);
            else if (hex && c >= 'A' && c <= 'F')
                d = (int)(c - 'A' + 10);
            else
                break;
            digits++;
            if (significant || d) /* leading zeros do not count (char_code strips them) */
                significant++;
            /* Past 10 digits, leading zeros included, libxml2 2.14 misreads some hexadecimal
             * references (&#x + 8 zeros + 1FF; is "invalid", found by scripts/fuzz.sh): leave
             * those to the Python scanner and lxml. */
            if (significant > 8 || digits > 10)
                return -1;
            code = code * (hex ? 16 : 10) + (Py_UCS4)d;
        }
        if (digits == 0 || j >= n || READ(src, j) != ';' || !is_xml_char(code))
            return -1;
        *out = code;
        return j + 1;
    }
    static const struct {
        const char *name;
        Py_UCS4 ch;
    } predefined[] = {{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
    for (size_t k = 0; k < sizeof predefined / sizeof predefined[0]; k++) {
        const char *p = predefined[k].name;
        Py_ssize_t m = 0;
        while (p[m] && j + m < n && READ(src, j + m) == (Py_UCS4)(unsigned char)p[m])
            m++;
        if (!p[m]) {
            *out = predefined[k].ch;
            return j + m;
        }
    }
    return -1;
}

/* Whether the '&' at i is a bare ampersand to the Python scanner: its reference pattern
 * (_TOKEN's "ref": "&#" ASCII digits ";", "&#x" hex digits ";", or "&" NAME ";") cannot match
 * there, so it reads the '&' as text and reports "bare-ampersand". NAME is [^\W\d][\w.\-:\u00B7]*
 * in Python's Unicode re, whose \w is Py_UNICODE_ISALNUM or '_' and whose \d is
 * Py_UNICODE_ISDECIMAL (Modules/_sre), so a name is read here with the same predicates; greedy
 * and followed by ';', so it matches exactly when the longest run of name characters ends in ';'.
 * 0 means the pattern matches: a reference, known or not, which is the caller's to judge. */
static int is_word_char(Py_UCS4 c) { return c == '_' || Py_UNICODE_ISALNUM(c); }

static int bare_ampersand(Source *src, Py_ssize_t i)
{
    Py_ssize_t n = src->len, j = i + 1;
    if (j >= n)
        return 1;
    Py_UCS4 c = READ(src, j);
    if (c == '#') {
        int hex = j + 1 < n && READ(src, j + 1) == 'x';
        Py_ssize_t digits = j + (hex ? 2 : 1), k = digits;
        for (; k < n; k++) {
            c = READ(src, k);
            if (!((c >= '0' && c <= '9') ||
                  (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))))
                break;
        }
        return k == digits || k >= n || READ(src, k) != ';';
    }
    if (!is_word_char(c) || Py_UNICODE_ISDECIMAL(c))
        return 1; /* no name starts here */
    for (j++; j < n; j++) {
        c = READ(src, j);
        if (!(is_word_char(c) || c == '.' || c == '-' || c == ':' || c == 0xB7))
            break;
    }
    return j >= n || c != ';';
}

/* The decoded value of source[start:end], whose references were already checked: references
 * replaced and, in attribute values, literal tabs and line feeds turned into spaces. With bare, a
 * '&' that bare_ampersand() calls bare stays a '&' (the scanner reported it). */
static PyObject *decode(Source *src, Py_ssize_t start, Py_ssize_t end, int attribute, int bare)
{
    Py_UCS4 *buf = PyMem_Malloc((size_t)(end - start + 1) * sizeof(Py_UCS4));
    if (buf == NULL)
        return PyErr_NoMemory();
    Py_ssize_t n = 0;
    for (Py_ssize_t i = start; i < end;) {
        Py_UCS4 c = READ(src, i);
        if (c == '&') {
            /* The callers checked every reference in the range; one that does not parse, or runs
             * past end, means a caller did not: an internal error, never an overread. */
            Py_ssize_t after = reference(src, i, &buf[n++]);
            if (after < 0 && bare && bare_ampersand(src, i)) {
                buf[n - 1] = '&';
                i++;
                continue;
            }
            if (after < 0 || after > end) {
                PyMem_Free(buf);
                PyErr_Format(PyExc_SystemError,
                             "ssmlkit._cscan: unchecked reference at offset %zd", i);
                return NULL;
            }
            i = after;
            continue;
        }
        if (c == '\r') { /* "\r\n" and a lone "\r" are one line end (a space in a value) */
            i += i + 1 < end && READ(src, i + 1) == '\n' ? 2 : 1;
            buf[n++] = attribute ? ' ' : '\n';
            continue;
        }
        buf[n++] = (attribute && (c == '\t' || c == '\n')) ? ' ' : c;
        i++;
    }
    PyObject *value = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, n);
    PyMem_Free(buf);
    return value;
}

typedef struct {
    Source *src;
    Frame *stack; /* stack[0] is the document's top level */
    Py_ssize_t depth;
    Py_ssize_t text_start; /* where pending character data starts, or -1 */
    int text_refs;         /* whether it holds references (or bare '&'s) */
    PyObject *bare;        /* the list for bare '&' offsets, or NULL: a bare '&' declines */
    Py_ssize_t n_bare;     /* how many this scan appended to it */
    int prefixed;          /* a prefixed name other than xml: and xmlns: was seen */
} Scanner;

static int flush_text(Scanner *s, Py_ssize_t end)
{
    if (s->text_start < 0)
        return 0;
    if (end - s->text_start > MAX_RUN)
        return FALLBACK;
    Source *src = s->src;
    PyObject *value = s->text_refs || src->has_cr
                          ? decode(src, s->text_start, end, 0, s->bare != NULL)
                          : PyUnicode_Substring(src->text, s->text_start, end);
    if (value == NULL)
        return -1;
    PyObject *span = make_span(src, s->text_start, end);
    PyObject *node = span ? make_valued(text_type, value, span) : NULL;
    int rc = node ? PyList_Append(s->stack[s->depth].children, node) : -1;
    Py_XDECREF(node);
    Py_XDECREF(span);
    Py_DECREF(value);
    s->text_start = -1;
    s->text_refs = 0;
    return rc;
}

static Py_ssize_t skip_space(Source *src, Py_ssize_t i)
{
    while (i < src->len && is_space(READ(src, i)))
        i++;
    return i;
}

/* The start tag at i ('<' followed by a name start). Returns the offset after it. */
static Py_ssize_t start_tag(Scanner *s, Py_ssize_t i)
{
    Source *src = s->src;
    Py_ssize_t n = src->len;
    Py_ssize_t colon, name_start = i + 1, j = qname_end(src, name_start, &colon);
    /* A prefixed element: any prefix but the reserved ones; an undeclared one is declared by
     * parse()'s lxml check, as the Python scanner's prefixes tell it, so it is no error there. */
    if (j < 0 || (colon >= 0 && reserved_prefix(src, name_start, colon - name_start)))
        return FALLBACK;
    if (colon >= 0)
        s->prefixed = 1;
    Py_ssize_t tag_name_end = j; /* j moves on through the attributes */
    PyObject *attrs = NULL, *attr_spans = NULL, *value_spans = NULL, *name = NULL;
    PyObject *tag_span = NULL;
    Py_ssize_t rc = -1;
    /* Attribute names seen, as (start, length) pairs, to detect duplicates without objects. */
    Py_ssize_t seen[64][2];
    Py_ssize_t count = 0;
    /* The local parts of prefixed attributes: two alike may name one attribute twice (p:a and q:a
     * with p and q bound to one namespace), which libxml2 refuses; the fast path leaves them. */
    Py_ssize_t locals[64][2];
    Py_ssize_t n_locals = 0;
    int self_closing = 0;

    for (;;) {
        Py_ssize_t k = skip_space(src, j);
        if (k >= n) {
            rc = FALLBACK;
            goto done;
        }
        Py_UCS4 c = READ(src, k);
        if (c == '>' || c == '/') {
            if (c == '/') {
                if (k + 1 >= n || READ(src, k + 1) != '>') {
                    rc = FALLBACK;
                    goto done;
                }
                self_closing = 1;
                k++;
            }
            j = k + 1;
            break;
        }
        if (k == j || count == 64) { /* an attribute must follow white space */
            rc = FALLBACK;
            goto done;
        }
        Py_ssize_t a_colon, a_start = k, a_name_end = qname_end(src, k, &a_colon);
        if (a_name_end < 0) {
            rc = FALLBACK;
            goto done;
        }
        for (Py_ssize_t m = 0; m < count; m++) {
            if (seen[m][1] == a_name_end - a_start) {
                Py_ssize_t q = 0;
                while (q < seen[m][1] && READ(src, seen[m][0] + q) == READ(src, a_start + q))
                    q++;
                if (q == seen[m][1]) { /* a duplicate: the Python scanner reports it */
                    rc = FALLBACK;
                    goto done;
                }
            }
        }
        /* Namespaces: a declaration (xmlns, xmlns:p) is checked once its value is read; of the
         * xml: attributes only xml:lang and xml:id are taken (libxml2 checks others' values). */
        int declaration = 0; /* 1: xmlns="...", 2: xmlns:p="..." */
        if (a_colon < 0)
            declaration = is_word(src, a_start, a_name_end - a_start, "xmlns", 0);
        else {
            Py_ssize_t p_len = a_colon - a_start, l_start = a_colon + 1;
            Py_ssize_t l_len = a_name_end - l_start;
            int ok = 1;
            if (is_word(src, a_start, p_len, "xmlns", 0)) {
                declaration = 2;
                ok = !reserved_prefix(src, l_start, l_len);
            }
            else if (is_word(src, a_start, p_len, "xml", 0))
                ok = is_word(src, l_start, l_len, "lang", 0) || is_word(src, l_start, l_len, "id", 0);
            else if (reserved_prefix(src, a_start, p_len))
                ok = 0;
            else {
                s->prefixed = 1;
                for (Py_ssize_t m = 0; ok && m < n_locals; m++) {
                    Py_ssize_t q = 0;
                    if (locals[m][1] != l_len)
                        continue;
                    while (q < l_len && READ(src, locals[m][0] + q) == READ(src, l_start + q))
                        q++;
                    ok = q < l_len;
                }
                locals[n_locals][0] = l_start;
                locals[n_locals][1] = l_len;
                n_locals++;
            }
            if (!ok) {
                rc = FALLBACK;
                goto done;
            }
        }
        seen[count][0] = a_start;
        seen[count][1] = a_name_end - a_start;
        count++;
        k = skip_space(src, a_name_end);
        if (k >= n || READ(src, k) != '=') {
            rc = FALLBACK;
            goto done;
        }
        k = skip_space(src, k + 1);
        if (k >= n || (READ(src, k) != '"' && READ(src, k) != '\'')) {
            rc = FALLBACK;
            goto done;
        }
        Py_UCS4 quote = READ(src, k);
        Py_ssize_t v_start = k + 1, v = v_start;
        int needs_decoding = 0;
        for (; v < n; v++) {
            Py_UCS4 ch = READ(src, v);
            if (ch == quote)
                break;
            if (ch == '<') {
                rc = FALLBACK;
                goto done;
            }
            if (ch == '&') {
                Py_UCS4 unused;
                Py_ssize_t after = reference(src, v, &unused);
                if (after < 0 || after > n) {
                    rc = FALLBACK;
                    goto done;
                }
                needs_decoding = 1;
                v = after - 1;
            }
            else if (ch == '\t' || ch == '\n' || ch == '\r')
                needs_decoding = 1;
        }
        if (v >= n || v - v_start > MAX_RUN ||
            (declaration && !plain_namespace(src, v_start, v, declaration == 1))) {
            rc = FALLBACK;
            goto done;
        }
        /* v is the closing quote. A reference must not run past it ("&amp" then quote). */
        PyObject *a_name = PyUnicode_Substring(src->text, a_start, a_name_end);
        PyObject *value = a_name == NULL ? NULL
                          : needs_decoding ? decode(src, v_start, v, 1, 0)
                                           : PyUnicode_Substring(src->text, v_start, v);
        if (attrs == NULL) { /* the first attribute: most tags have none */
            attrs = PyList_New(0);
            attr_spans = PyList_New(0);
            value_spans = PyList_New(0);
        }
        /* Any of the three lists may have failed (MemoryError): all are checked before use. */
        int lists = attrs != NULL && attr_spans != NULL && value_spans != NULL;
        PyObject *pair =
            value == NULL || !lists ? NULL : untracked(PyTuple_Pack(2, a_name, value));
        PyObject *a_span = pair == NULL ? NULL : make_span(src, a_start, v + 1);
        PyObject *v_span = a_span == NULL ? NULL : make_span(src, v_start, v);
        int ok = v_span != NULL && PyList_Append(attrs, pair) == 0 &&
                 PyList_Append(attr_spans, a_span) == 0 &&
                 PyList_Append(value_spans, v_span) == 0;
        Py_XDECREF(a_name);
        Py_XDECREF(value);
        Py_XDECREF(pair);
        Py_XDECREF(a_span);
        Py_XDECREF(v_span);
        if (!ok)
            goto done;
        j = v + 1;
    }
    if (!self_closing && s->depth >= max_depth) { /* too deep: the Python scanner says so */
        rc = FALLBACK;
        goto done;
    }
    Py_ssize_t name_len = tag_name_end - name_start;
    PyObject *cls = NULL;
    for (Py_ssize_t k = 0; k < n_known && cls == NULL; k++) {
        PyObject *known_name = known_names[k];
        if (PyUnicode_GET_LENGTH(known_name) != name_len)
            continue;
        Py_ssize_t q = 0;
        while (q < name_len && READ(src, name_start + q) == PyUnicode_READ_CHAR(known_name, q))
            q++;
        if (q == name_len) {
            cls = known_classes[k];
            name = Py_NewRef(known_name);
        }
    }
    if (cls == NULL)
        name = PyUnicode_Substring(src->text, name_start, name_start + name_len);
    tag_span = name ? make_span(src, i, j) : NULL;
    if (tag_span == NULL)
        goto done;
    Frame f = {i, name_start, name_len, cls, NULL, NULL, NULL, NULL, NULL, NULL};
    if (count) {
        f.attrs = untracked(PyList_AsTuple(attrs));
        f.attr_spans = untracked(PyList_AsTuple(attr_spans));
        f.value_spans = untracked(PyList_AsTuple(value_spans));
    }
    else {
        f.attrs = Py_NewRef(empty_tuple);
        f.attr_spans = Py_NewRef(empty_tuple);
        f.value_spans = Py_NewRef(empty_tuple);
    }
    f.name = Py_NewRef(name);
    f.start_tag = Py_NewRef(tag_span);
    f.children = self_closing ? NULL : PyList_New(0);
    if (f.attrs == NULL || f.attr_spans == NULL || f.value_spans == NULL ||
        (!self_closing && f.children == NULL)) {
        frame_clear(&f);
        goto done;
    }
    if (self_closing) {
        int closed = close_element(&f, tag_span, Py_None, s->stack[s->depth].children);
        frame_clear(&f);
        if (closed < 0)
            goto done;
    }
    else {
        s->stack[++s->depth] = f;
    }
    rc = j;
done:
    Py_XDECREF(attrs);
    Py_XDECREF(attr_spans);
    Py_XDECREF(value_spans);
    Py_XDECREF(name);
    Py_XDECREF(tag_span);
    return rc;
}

/* The end tag at i ("</"). Returns the offset after it. */
static Py_ssize_t end_tag(Scanner *s, Py_ssize_t i)
{
    Source *src = s->src;
    Py_ssize_t colon, j = qname_end(src, i + 2, &colon);
    if (j < 0 || s->depth == 0)
        return FALLBACK;
    Frame *f = &s->stack[s->depth];
    if (j - (i + 2) != f->name_len)
        return FALLBACK;
    for (Py_ssize_t q = 0; q < f->name_len; q++)
        if (READ(src, i + 2 + q) != READ(src, f->name_start + q))
            return FALLBACK;
    j = skip_space(src, j);
    if (j >= src->len || READ(src, j) != '>')
        return FALLBACK;
    j++;
    PyObject *whole = make_span(src, f->start, j);
    PyObject *tag = whole ? make_span(src, i, j) : NULL;
    int rc = tag ? close_element(f, whole, tag, s->stack[s->depth - 1].children) : -1;
    Py_XDECREF(whole);
    Py_XDECREF(tag);
    frame_clear(f);
    s->depth--;
    return rc < 0 ? -1 : j;
}

/* source[start:end] with each "\r\n" and lone "\r" read as "\n", and nothing else changed (a
 * comment holds no references: decode_text_lines in _pyscan.py). */
static PyObject *unix_lines(Source *src, Py_ssize_t start, Py_ssize_t end)
{
    Py_UCS4 *buf = PyMem_Malloc((size_t)(end - start + 1) * sizeof(Py_UCS4));
    if (buf == NULL)
        return PyErr_NoMemory();
    Py_ssize_t n = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 c = READ(src, i);
        if (c == '\r') {
            if (i + 1 < end && READ(src, i + 1) == '\n')
                i++;
            c = '\n';
        }
        buf[n++] = c;
    }
    PyObject *value = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, n);
    PyMem_Free(buf);
    return value;
}

/* The comment at i ("<!--"). Returns the offset after it. */
static Py_ssize_t comment(Scanner *s, Py_ssize_t i)
{
    Source *src = s->src;
    Py_ssize_t n = src->len, body = i + 4, p = body;
    for (; p + 2 < n; p++) {
        if (READ(src, p) == '-' && READ(src, p + 1) == '-') {
            if (READ(src, p + 2) == '>')
                break;
            return FALLBACK; /* "--" inside a comment: the Python scanner reports it */
        }
    }
    if (p + 2 >= n || (p > body && READ(src, p - 1) == '-') || p - body > MAX_RUN)
        return FALLBACK; /* unclosed, ending in "--->", or too long */
    PyObject *value = src->has_cr ? unix_lines(src, body, p) : PyUnicode_Substring(src->text, body, p);
    PyObject *span = value ? make_span(src, i, p + 3) : NULL;
    PyObject *node = span ? make_valued(comment_type, value, span) : NULL;
    int rc = node ? PyList_Append(s->stack[s->depth].children, node) : -1;
    Py_XDECREF(value);
    Py_XDECREF(span);
    Py_XDECREF(node);
    return rc < 0 ? -1 : p + 3;
}

static Py_ssize_t run(Scanner *s, Py_ssize_t pos)
{
    Source *src = s->src;
    Py_ssize_t n = src->len;
    while (pos < n) {
        Py_UCS4 c = READ(src, pos);
        if (c == '<') {
            int flushed = flush_text(s, pos);
            if (flushed < 0)
                return flushed;
            Py_UCS4 next = pos + 1 < n ? READ(src, pos + 1) : 0;
            if (next == '/')
                pos = end_tag(s, pos);
            else if (next == '!' && pos + 3 < n && READ(src, pos + 2) == '-' &&
                     READ(src, pos + 3) == '-')
                pos = comment(s, pos);
            else
                pos = start_tag(s, pos);
            if (pos < 0)
                return pos;
        }
        else if (c == '&') {
            Py_UCS4 unused;
            Py_ssize_t after = reference(src, pos, &unused);
            if (after < 0) {
                /* Not a reference C knows: a bare '&' is reported (when asked to) and read as
                 * text; anything else (an unknown entity, a bad character reference) declines. */
                if (s->bare == NULL || !bare_ampersand(src, pos) || s->n_bare >= MAX_BARE)
                    return FALLBACK;
                PyObject *offset = PyLong_FromSsize_t(pos);
                int appended = offset != NULL ? PyList_Append(s->bare, offset) : -1;
                Py_XDECREF(offset);
                if (appended < 0)
                    return -1;
                s->n_bare++;
                after = pos + 1;
            }
            if (s->text_start < 0)
                s->text_start = pos;
            s->text_refs = 1;
            pos = after;
        }
        else {
            if (s->text_start < 0)
                s->text_start = pos;
            Py_ssize_t run_start = pos;
            for (;;) {
                pos = find_markup(src, pos);
                if (pos >= n || READ(src, pos) != '>')
                    break;
                if (pos - run_start >= 2 && READ(src, pos - 1) == ']' && READ(src, pos - 2) == ']')
                    return FALLBACK; /* "]]>" may not stand in character data: libxml2 says so */
                pos++;
            }
        }
    }
    if (s->depth > 0)
        return FALLBACK; /* unclosed elements: the Python scanner reports them */
    /* With problems, the Python scanner's result names the prefixes it saw (parse() declares them
     * for lxml only when there are none, but results must be equal): C keeps no such set. */
    if (s->prefixed && s->n_bare > 0)
        return FALLBACK;
    int flushed = flush_text(s, n);
    return flushed < 0 ? flushed : n;
}

static PyObject *cscan_scan(PyObject *module, PyObject *args)
{
    PyObject *text, *bare = NULL;
    Py_ssize_t body_start;
    if (!PyArg_ParseTuple(args, "Un|O!:scan", &text, &body_start, &PyList_Type, &bare))
        return NULL;
    if (span_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "ssmlkit._cscan.configure() was not called");
        return NULL;
    }
    Source src;
    memset(&src, 0, sizeof src);
    src.text = text;
    src.kind = PyUnicode_KIND(text);
    src.data = PyUnicode_DATA(text);
    src.len = PyUnicode_GET_LENGTH(text);
    int indexed = index_lines(&src);
    if (indexed < 0) {
        PyMem_Free(src.lines);
        if (indexed == FALLBACK)
            Py_RETURN_NONE;
        return NULL;
    }
    /* Frames are initialised as they are pushed; only stack[0..depth] is ever read. */
    Frame *stack = PyMem_Malloc(((size_t)max_depth + 1) * sizeof(Frame));
    PyObject *top = PyList_New(0);
    PyObject *result = NULL;
    if (stack == NULL || top == NULL) {
        if (stack == NULL)
            PyErr_NoMemory();
        goto done;
    }
    memset(&stack[0], 0, sizeof(Frame));
    stack[0].children = Py_NewRef(top);
    Scanner s = {&src, stack, 0, -1, 0, bare, 0, 0};
    /* Thousands of small acyclic objects: the cyclic collector would only re-walk them (see
     * ssmlkit/_gc.py, which does the same for the Python scanner). */
    int collecting = PyGC_Disable();
    Py_ssize_t end = run(&s, body_start < 0 ? 0 : body_start);
    if (collecting)
        PyGC_Enable();
    if (end == FALLBACK)
        result = Py_NewRef(Py_None);
    else if (end >= 0)
        result = PyList_AsTuple(top);
    for (Py_ssize_t d = 0; d <= s.depth; d++)
        frame_clear(&stack[d]);
done:
    for (int k = 0; k < INT_CACHE; k++)
        Py_XDECREF(src.ints[k].obj);
    PyMem_Free(stack);
    PyMem_Free(src.lines);
    Py_XDECREF(top);
    return result;
}

static PyObject *cscan_configure(PyObject *module, PyObject *args)
{
    PyObject *span, *text, *comment_, *unknown, *known_;
    Py_ssize_t depth;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!n:configure", &PyType_Type, &span, &PyType_Type, &text,
                          &PyType_Type, &comment_, &PyType_Type, &unknown, &PyDict_Type, &known_,
                          &depth))
        return NULL;
    /* scan() allocates max_depth + 1 frames: a negative or huge depth would wrap that size and
     * overflow the heap. Checked before anything is changed, so a refused call changes nothing. */
    if (depth < 0 || depth > MAX_DEPTH_LIMIT) {
        PyErr_Format(PyExc_ValueError, "max_depth must be between 0 and %d, not %zd",
                     MAX_DEPTH_LIMIT, depth);
        return NULL;
    }
    if (!PyType_IsSubtype((PyTypeObject *)span, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "Span must be a tuple subclass");
        return NULL;
    }
    /* Element fields are read from UnknownElement (which has them all, and qname); every dialect
     * class must hold the very same descriptors, i.e. the same layout. */
    static const struct {
        const char *name;
        int field;
        int on_text;
    } wanted[] = {{"value", F_VALUE, 1},          {"span", F_SPAN, 1},
                  {"attrs", F_ATTRS, 0},          {"children", F_CHILDREN, 0},
                  {"start_tag", F_START_TAG, 0},  {"end_tag", F_END_TAG, 0},
                  {"attr_spans", F_ATTR_SPANS, 0}, {"value_spans", F_VALUE_SPANS, 0},
                  {"qname", F_QNAME, 0},          {"span", F_ELEMENT_SPAN, 0}};
    /* Everything is checked first and the module's state changed only at the end: a refused call
     * must leave the classes, offsets and names of the last good call together (offsets of one
     * layout applied to classes of another would write nodes out of bounds). */
    Py_ssize_t found[N_FIELDS];
    for (size_t k = 0; k < sizeof wanted / sizeof wanted[0]; k++) {
        PyObject *owner = wanted[k].on_text ? text : unknown;
        PyObject *descr = PyObject_GetAttrString(owner, wanted[k].name);
        if (descr == NULL)
            return NULL;
        int ok = Py_IS_TYPE(descr, &PyMemberDescr_Type) &&
                 ((PyMemberDescrObject *)descr)->d_member->type == T_OBJECT_EX;
        if (ok && wanted[k].on_text) {
            PyObject *other = PyObject_GetAttrString(comment_, wanted[k].name);
            ok = other == descr;
            Py_XDECREF(other);
        }
        if (ok && !wanted[k].on_text && wanted[k].field != F_QNAME) {
            PyObject *cls, *key;
            Py_ssize_t pos = 0;
            while (ok && PyDict_Next(known_, &pos, &key, &cls)) {
                PyObject *other = PyObject_GetAttrString(cls, wanted[k].name);
                ok = other == descr;
                Py_XDECREF(other);
            }
        }
        if (ok)
            found[wanted[k].field] = ((PyMemberDescrObject *)descr)->d_member->offset;
        Py_DECREF(descr);
        if (!ok) {
            PyErr_Format(PyExc_TypeError, "field %s is not a plain slot shared by the node classes",
                         wanted[k].name);
            return NULL;
        }
    }
    if (PyDict_GET_SIZE(known_) > MAX_KNOWN) {
        PyErr_SetString(PyExc_ValueError, "too many known elements");
        return NULL;
    }
    {
        PyObject *key, *cls;
        Py_ssize_t pos = 0, k = 0;
        while (PyDict_Next(known_, &pos, &key, &cls)) {
            if (!PyUnicode_Check(key) || !PyType_Check(cls)) {
                PyErr_SetString(PyExc_TypeError, "known elements: str -> class");
                return NULL;
            }
        }
        memcpy(offsets, found, sizeof offsets);
        pos = 0;
        while (PyDict_Next(known_, &pos, &key, &cls)) {
            Py_XSETREF(known_names[k], Py_NewRef(key));
            Py_XSETREF(known_classes[k], Py_NewRef(cls));
            k++;
        }
        n_known = k;
    }
    Py_XSETREF(span_type, (PyTypeObject *)Py_NewRef(span));
    Py_XSETREF(text_type, (PyTypeObject *)Py_NewRef(text));
    Py_XSETREF(comment_type, (PyTypeObject *)Py_NewRef(comment_));
    Py_XSETREF(unknown_type, (PyTypeObject *)Py_NewRef(unknown));
    Py_XSETREF(known, Py_NewRef(known_));
    max_depth = depth;
    Py_RETURN_NONE;
}


/* ---------------------------------------------------------------------------------------------
 * The lint engine's walk (ssmlkit/linter/engine.py, _walk_python is the reference): every node in
 * document order, each handed to the calls its shape has in the plan's by_shape table. Written
 * here because the Python loop itself was a fifth of a small document's lint.
 *
 *     walk(items, ctx, plan, by_shape, element_type[, speak_type])
 *
 * A shape is (type, parent type, within, attribute names, min(children, 2)) for an element and
 * (type, parent type, within) for a comment or processing instruction, where within says
 * whether an element of speak_type encloses the node (always False without speak_type); text
 * takes the calls of (Text, parent type, within). A shape missing from by_shape is asked of
 * plan.for_shape(key, node) and plan.text_calls(parent type, within), which also fill the
 * table. A call is (rule, visit), (rule, visit, chars) (visited only where node_holds), or a
 * gate (rule, gate, memo, visits, whole), whose work the walk does itself (run_gate) where the
 * Python walk calls gate.
 *
 * Rules are other people's code: a call that raises an Exception is handed to
 * plan.failed(node, ctx, exc), and a call that replaces the visited element's children or attrs
 * to plan.mutated(node, ctx, children, attrs), which report it and put the old values back; the
 * walk goes on. Everything the walk iterates or passes on is held by a strong reference of its
 * own (each level's tuple, the node being visited), so no rule can free it under the walk.
 */

static PyObject *s_rule, *s_ancestors, *s_for_shape, *s_text_calls, *s_attrs_name, *s_children_name,
    *s_failed, *s_mutated, *s_value_name, *s_span_name, *s_start_tag_name, *s_source_name,
    *s_reported_name;

/* How many element spellings a gate remembers before it forgets them all (dispatch._LIMIT). */
#define GATE_LIMIT 4096

typedef struct {
    PyObject *nodes;  /* the tuple being walked (a strong reference, released when the level ends) */
    Py_ssize_t next;  /* index of the next node */
    PyObject *parent; /* parent type, Py_None at the top (borrowed: the parent node holds it) */
    PyObject *ancestors;
    PyObject *text_calls;
    int within; /* whether an element of the walk's speak type encloses this level's nodes */
} WalkFrame;

/* What a call may have changed: the element's children and attrs as read before the calls (both
 * strong references), or NULLs for a node that is not an element. */
typedef struct {
    PyObject *children;
    PyObject *attrs;
} Before;

/* Whether nodes of type cls are the scanner's own elements, whose fields configure() located:
 * the walk then reads a field from its slot, as the attribute look-up would find it, without the
 * look-up (two reads per rule call; a subclass, which may define properties, is looked up). */
static int own_element(PyTypeObject *cls)
{
    if (cls == unknown_type)
        return 1;
    for (Py_ssize_t k = 0; k < n_known; k++)
        if ((PyObject *)cls == known_classes[k])
            return 1;
    return 0;
}

/* Field `field` of node, an element of the scanner's own types (own_element): a new reference,
 * or NULL with AttributeError set when the slot is empty (deleted), as a look-up would raise. */
static PyObject *element_field(PyObject *node, int field, PyObject *name)
{
    PyObject *value = *(PyObject **)((char *)node + offsets[field]);
    if (value == NULL) {
        PyErr_SetObject(PyExc_AttributeError, name);
        return NULL;
    }
    return Py_NewRef(value);
}

/* Whether node's children or attrs are no longer the objects in before (-1: an error). */
static int changed(PyObject *node, const Before *before)
{
    if (before->children == NULL)
        return 0;
    if (own_element(Py_TYPE(node))) {
        PyObject *children = *(PyObject **)((char *)node + offsets[F_CHILDREN]);
        PyObject *attrs = *(PyObject **)((char *)node + offsets[F_ATTRS]);
        return children != before->children || attrs != before->attrs;
    }
    PyObject *children = PyObject_GetAttr(node, s_children_name);
    if (children == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError))
            return -1;
        PyErr_Clear(); /* deleted: a change too */
        return 1;
    }
    PyObject *attrs = PyObject_GetAttr(node, s_attrs_name);
    if (attrs == NULL && !PyErr_ExceptionMatches(PyExc_AttributeError)) {
        Py_DECREF(children);
        return -1;
    }
    PyErr_Clear();
    int out = children != before->children || attrs != before->attrs;
    Py_DECREF(children);
    Py_XDECREF(attrs);
    return out;
}

/* Whether the str value holds one of the characters of the str chars (-1: an error). */
static int str_holds(PyObject *value, PyObject *chars)
{
    if (!PyUnicode_Check(value) || !PyUnicode_Check(chars)) {
        PyErr_SetString(PyExc_TypeError, "a need's chars and the values it looks in must be str");
        return -1;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(value), n = PyUnicode_GET_LENGTH(chars);
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_ssize_t at = PyUnicode_FindChar(value, PyUnicode_READ_CHAR(chars, k), 0, len, 1);
        if (at != -1)
            return at >= 0 ? 1 : -1; /* -2: an error was raised */
    }
    return 0;
}

/* dispatch.holds(node, chars) for the walk: whether the text node's value, or one of the
 * element's attribute values (the attrs in before), holds one of chars; 1 for other nodes. */
static int node_holds(PyObject *node, PyObject *chars, const Before *before)
{
    if (Py_TYPE(node) == text_type) {
        PyObject *value = PyObject_GetAttr(node, s_value_name);
        if (value == NULL)
            return -1;
        int found = str_holds(value, chars);
        Py_DECREF(value);
        return found;
    }
    if (before->attrs == NULL)
        return 1;
    /* attrs was checked to be a tuple when the names were read; its pairs may be anything. */
    Py_ssize_t n = PyTuple_GET_SIZE(before->attrs);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *pair = PyTuple_GET_ITEM(before->attrs, k);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "attrs must hold (name, value) pairs");
            return -1;
        }
        int found = str_holds(PyTuple_GET_ITEM(pair, 1), chars);
        if (found != 0)
            return found;
    }
    return 0;
}

/* Call visit(node, ctx) with ctx.rule set to rule; a failure or a change of the node goes to the
 * plan (see above). Returns -1 on an error that stops the walk, 1 when the rule failed or changed
 * the node (reported for it), else 0. */
static int call_one(PyObject *rule, PyObject *visit, PyObject *node, PyObject *ctx, PyObject *plan,
                    const Before *before)
{
    if (PyObject_SetAttr(ctx, s_rule, rule) < 0)
        return -1;
    int status = 0;
    PyObject *args[2] = {node, ctx};
    PyObject *out = PyObject_Vectorcall(visit, args, 2, NULL);
    if (out != NULL)
        Py_DECREF(out);
    else if (PyErr_ExceptionMatches(PyExc_Exception)) {
        PyObject *type, *value, *traceback;
        PyErr_Fetch(&type, &value, &traceback);
        PyErr_NormalizeException(&type, &value, &traceback);
        if (traceback != NULL && value != NULL)
            PyException_SetTraceback(value, traceback);
        out = PyObject_CallMethodObjArgs(plan, s_failed, node, ctx,
                                         value != NULL ? value : Py_None, NULL);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(traceback);
        if (out == NULL)
            return -1;
        Py_DECREF(out);
        status = 1;
    }
    else
        return -1; /* KeyboardInterrupt, SystemExit, ...: not a rule's bug; stop */
    int moved = changed(node, before);
    if (moved < 0)
        return -1;
    if (moved) {
        out = PyObject_CallMethodObjArgs(plan, s_mutated, node, ctx, before->children,
                                         before->attrs, NULL);
        if (out == NULL)
            return -1;
        Py_DECREF(out);
        status = 1;
    }
    return status;
}

static int run_calls(PyObject *calls, PyObject *node, PyObject *ctx, PyObject *plan,
                     const Before *before);

/* A gate (dispatch._gate): the call (first rule, gate, memo, visits, whole) stands in for the
 * (rule, visit) pairs of visits, rules that declared that how an element is written decides
 * whether they report: its start tag, or all of it when whole. The memo maps each spelling met
 * to the pairs that reported (or failed) for it; those alone are called for the spelling again.
 * The Python walk calls gate, which keeps the same memo the same way. Returns as run_calls. */
static int run_gate(PyObject *entry, PyObject *node, PyObject *ctx, PyObject *plan,
                    const Before *before)
{
    PyObject *memo = PyTuple_GET_ITEM(entry, 2), *visits = PyTuple_GET_ITEM(entry, 3);
    PyObject *whole = PyTuple_GET_ITEM(entry, 4);
    if (!PyDict_Check(memo) || !PyTuple_Check(visits) || !PyBool_Check(whole)) {
        PyErr_SetString(PyExc_TypeError,
                        "a gate's call is (rule, gate, memo dict, visits tuple, whole bool)");
        return -1;
    }
    PyObject *span = PyObject_GetAttr(node, whole == Py_True ? s_span_name : s_start_tag_name);
    if (span == NULL)
        return -1;
    if (span == Py_None) { /* no source to compare: call them all */
        Py_DECREF(span);
        return run_calls(visits, node, ctx, plan, before);
    }
    PyObject *key = NULL, *source = NULL, *start = NULL, *end = NULL, *slice = NULL;
    PyObject *reported = NULL;
    int status = -1;
    /* key = ctx.source[span[0]:span[1]], the element as written (span is (start, end, ...)) */
    start = PySequence_GetItem(span, 0);
    end = start ? PySequence_GetItem(span, 1) : NULL;
    source = end ? PyObject_GetAttr(ctx, s_source_name) : NULL;
    slice = source ? PySlice_New(start, end, NULL) : NULL;
    key = slice ? PyObject_GetItem(source, slice) : NULL;
    if (key == NULL)
        goto out;
    PyObject *pending = PyDict_GetItemWithError(memo, key);
    if (pending != NULL) {
        Py_INCREF(pending); /* a rule may empty the memo meanwhile */
        status = run_calls(pending, node, ctx, plan, before);
        Py_DECREF(pending);
        goto out;
    }
    if (PyErr_Occurred())
        goto out;
    reported = PyList_New(0);
    if (reported == NULL)
        goto out;
    Py_ssize_t n = PyTuple_GET_SIZE(visits);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *pair = PyTuple_GET_ITEM(visits, k);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "a gate's visits are (rule, visit) tuples");
            goto out;
        }
        PyObject *was = PyObject_GetAttr(ctx, s_reported_name);
        if (was == NULL)
            goto out;
        int called = call_one(PyTuple_GET_ITEM(pair, 0), PyTuple_GET_ITEM(pair, 1), node, ctx,
                              plan, before);
        if (called == 0) { /* it ran: did it report? */
            PyObject *now = PyObject_GetAttr(ctx, s_reported_name);
            called = now == NULL ? -1 : PyObject_RichCompareBool(now, was, Py_NE);
            Py_XDECREF(now);
        }
        Py_DECREF(was);
        if (called < 0 || (called > 0 && PyList_Append(reported, pair) < 0))
            goto out;
    }
    PyObject *found = PyList_AsTuple(reported);
    if (found == NULL)
        goto out;
    if (PyDict_GET_SIZE(memo) >= GATE_LIMIT)
        PyDict_Clear(memo);
    int stored = PyDict_SetItem(memo, key, found);
    Py_DECREF(found);
    if (stored == 0)
        status = 0;
out:
    Py_XDECREF(reported);
    Py_XDECREF(key);
    Py_XDECREF(slice);
    Py_XDECREF(source);
    Py_XDECREF(start);
    Py_XDECREF(end);
    Py_DECREF(span);
    return status;
}

/* Call each (rule, visit) of calls on node, each (rule, visit, chars) whose chars the node holds,
 * and each gate (rule, gate, memo, visits, whole) as run_gate; failures and changes go to the
 * plan (see above). */
static int run_calls(PyObject *calls, PyObject *node, PyObject *ctx, PyObject *plan,
                     const Before *before)
{
    if (!PyTuple_Check(calls)) {
        PyErr_SetString(PyExc_TypeError, "calls must be a tuple of (rule, visit[, chars]) tuples "
                                         "and gates");
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(calls);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *pair = PyTuple_GET_ITEM(calls, k);
        Py_ssize_t size = PyTuple_Check(pair) ? PyTuple_GET_SIZE(pair) : 0;
        if (size == 5) {
            if (run_gate(pair, node, ctx, plan, before) < 0)
                return -1;
            continue;
        }
        if (size != 2 && size != 3) {
            PyErr_SetString(PyExc_TypeError, "calls must be a tuple of (rule, visit[, chars]) tuples");
            return -1;
        }
        if (size == 3) {
            int found = node_holds(node, PyTuple_GET_ITEM(pair, 2), before);
            if (found < 0)
                return -1;
            if (!found)
                continue;
        }
        if (call_one(PyTuple_GET_ITEM(pair, 0), PyTuple_GET_ITEM(pair, 1), node, ctx, plan,
                     before) < 0)
            return -1;
    }
    return 0;
}

/* The calls for text inside an element of type parent, within a speak or not (a new reference). */
static PyObject *text_calls_for(PyObject *by_shape, PyObject *plan, PyObject *parent, int within)
{
    PyObject *flag = within ? Py_True : Py_False;
    PyObject *key = PyTuple_Pack(3, (PyObject *)text_type, parent, flag);
    if (key == NULL)
        return NULL;
    PyObject *calls = PyDict_GetItemWithError(by_shape, key);
    Py_DECREF(key);
    if (calls != NULL)
        return Py_NewRef(calls);
    if (PyErr_Occurred())
        return NULL;
    return PyObject_CallMethodObjArgs(plan, s_text_calls, parent, flag, NULL);
}

/* An element's attribute names, as a tuple. */
static PyObject *attribute_names(PyObject *attrs)
{
    if (!PyTuple_Check(attrs)) {
        PyErr_SetString(PyExc_TypeError, "attrs must be a tuple");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(attrs);
    if (n == 0)
        return Py_NewRef(empty_tuple);
    PyObject *names = PyTuple_New(n);
    if (names == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *pair = PyTuple_GET_ITEM(attrs, k);
        PyObject *name = PyTuple_Check(pair) && PyTuple_GET_SIZE(pair) > 0
                             ? Py_NewRef(PyTuple_GET_ITEM(pair, 0))
                             : PySequence_GetItem(pair, 0);
        if (name == NULL) {
            Py_DECREF(names);
            return NULL;
        }
        PyTuple_SET_ITEM(names, k, name);
    }
    return names;
}

/* Visit one node: its calls, then (for an element with children) push its level. Returns -1 on
 * error, else 0; *pushed says whether a level was pushed. The caller holds node. */
static int visit_node(PyObject *node, WalkFrame **stack_p, Py_ssize_t *cap_p, Py_ssize_t *depth_p,
                      PyObject *ctx, PyObject *plan, PyObject *by_shape, PyObject *element_type,
                      PyObject *speak_type)
{
    WalkFrame *f = &(*stack_p)[*depth_p];
    PyTypeObject *cls = Py_TYPE(node);
    Before before = {NULL, NULL};
    if (cls == text_type)
        return run_calls(f->text_calls, node, ctx, plan, &before);
    PyObject *key;
    int status = -1;
    if (PyObject_TypeCheck(node, (PyTypeObject *)element_type)) {
        int own = own_element(cls);
        before.attrs = own ? element_field(node, F_ATTRS, s_attrs_name)
                           : PyObject_GetAttr(node, s_attrs_name);
        PyObject *names = before.attrs ? attribute_names(before.attrs) : NULL;
        before.children = names == NULL ? NULL
                          : own         ? element_field(node, F_CHILDREN, s_children_name)
                                        : PyObject_GetAttr(node, s_children_name);
        if (before.children == NULL || !PyTuple_Check(before.children)) {
            if (before.children != NULL)
                PyErr_SetString(PyExc_TypeError, "children must be a tuple");
            Py_XDECREF(names);
            goto out;
        }
        Py_ssize_t n = PyTuple_GET_SIZE(before.children);
        PyObject *count = Py_NewRef(small_ints[n < 2 ? n : 2]);
        key = count ? PyTuple_Pack(5, (PyObject *)cls, f->parent, f->within ? Py_True : Py_False,
                                   names, count)
                    : NULL;
        Py_XDECREF(count);
        Py_DECREF(names);
    }
    else {
        key = PyTuple_Pack(3, (PyObject *)cls, f->parent, f->within ? Py_True : Py_False);
    }
    if (key == NULL)
        goto out;
    PyObject *calls = PyDict_GetItemWithError(by_shape, key);
    if (calls != NULL)
        Py_INCREF(calls);
    else if (!PyErr_Occurred())
        calls = PyObject_CallMethodObjArgs(plan, s_for_shape, key, node, NULL);
    Py_DECREF(key);
    int called = calls != NULL ? run_calls(calls, node, ctx, plan, &before) : -1;
    Py_XDECREF(calls);
    if (called < 0)
        goto out;
    if (before.children == NULL || PyTuple_GET_SIZE(before.children) == 0) {
        status = 0;
        goto out;
    }
    /* Descend: the children read before the calls, with the node as the innermost ancestor. */
    if (*depth_p + 1 == *cap_p) {
        Py_ssize_t cap = *cap_p * 2;
        WalkFrame *grown = PyMem_Realloc(*stack_p, (size_t)cap * sizeof(WalkFrame));
        if (grown == NULL) {
            PyErr_NoMemory();
            goto out;
        }
        *stack_p = grown;
        *cap_p = cap;
        f = &grown[*depth_p];
    }
    Py_ssize_t na = PyTuple_GET_SIZE(f->ancestors);
    PyObject *ancestors = PyTuple_New(na + 1);
    if (ancestors == NULL)
        goto out;
    for (Py_ssize_t k = 0; k < na; k++)
        PyTuple_SET_ITEM(ancestors, k, Py_NewRef(PyTuple_GET_ITEM(f->ancestors, k)));
    PyTuple_SET_ITEM(ancestors, na, Py_NewRef(node));
    WalkFrame *child = &(*stack_p)[*depth_p + 1];
    child->nodes = before.children; /* the level owns our reference from here */
    before.children = NULL;
    child->next = 0;
    child->parent = (PyObject *)cls; /* the node, in ancestors, keeps its type alive */
    child->ancestors = ancestors;
    child->within = f->within || (PyObject *)cls == speak_type;
    child->text_calls = text_calls_for(by_shape, plan, (PyObject *)cls, child->within);
    (*depth_p)++;
    if (child->text_calls == NULL || PyObject_SetAttr(ctx, s_ancestors, ancestors) < 0)
        goto out;
    status = 0;
out:
    Py_XDECREF(before.children);
    Py_XDECREF(before.attrs);
    return status;
}

static PyObject *cscan_walk(PyObject *module, PyObject *args)
{
    PyObject *items, *ctx, *plan, *by_shape, *element_type, *speak_type = Py_None;
    if (!PyArg_ParseTuple(args, "O!OOO!O!|O:walk", &PyTuple_Type, &items, &ctx, &plan, &PyDict_Type,
                          &by_shape, &PyType_Type, &element_type, &speak_type))
        return NULL;
    if (speak_type != Py_None && !PyType_Check(speak_type)) {
        PyErr_SetString(PyExc_TypeError, "walk: speak_type must be a class or None");
        return NULL;
    }
    if (text_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "ssmlkit._cscan.configure() was not called");
        return NULL;
    }
    Py_ssize_t cap = 16, depth = 0;
    WalkFrame *stack = PyMem_Malloc((size_t)cap * sizeof(WalkFrame));
    if (stack == NULL)
        return PyErr_NoMemory();
    PyObject *result = NULL;
    /* by_shape too may be emptied or replaced by a rule: hold it. */
    Py_INCREF(by_shape);
    stack[0].nodes = Py_NewRef(items);
    stack[0].next = 0;
    stack[0].parent = Py_None;
    stack[0].ancestors = Py_NewRef(empty_tuple);
    stack[0].within = 0;
    stack[0].text_calls = text_calls_for(by_shape, plan, Py_None, 0);
    if (stack[0].text_calls == NULL || PyObject_SetAttr(ctx, s_ancestors, empty_tuple) < 0)
        goto done;
    for (;;) {
        WalkFrame *f = &stack[depth];
        if (f->next >= PyTuple_GET_SIZE(f->nodes)) { /* this level is done */
            Py_CLEAR(f->nodes);
            Py_CLEAR(f->ancestors);
            Py_CLEAR(f->text_calls);
            if (depth == 0)
                break;
            depth--;
            if (PyObject_SetAttr(ctx, s_ancestors, stack[depth].ancestors) < 0)
                goto done;
            continue;
        }
        PyObject *node = Py_NewRef(PyTuple_GET_ITEM(f->nodes, f->next));
        f->next++;
        int status =
            visit_node(node, &stack, &cap, &depth, ctx, plan, by_shape, element_type, speak_type);
        Py_DECREF(node);
        if (status < 0)
            goto done;
    }
    result = Py_NewRef(Py_None);
done:
    if (result == NULL) {
        for (Py_ssize_t d = 0; d <= depth; d++) {
            Py_CLEAR(stack[d].nodes);
            Py_CLEAR(stack[d].ancestors);
            Py_CLEAR(stack[d].text_calls);
        }
    }
    Py_DECREF(by_shape);
    PyMem_Free(stack);
    return result;
}

/* ---------------------------------------------------------------------------------------------
 * new_record(cls, members, *values): a new instance of cls, a class with __slots__, whose slot
 * members[k] (a member descriptor of cls or of a base) holds values[k]; the others stay unset.
 * For the records made by the thousand on lint's path (ssmlkit.linter.diagnostic.Diagnostic):
 * their __init__ calls a slot setter per field, and twelve calls were three quarters of making a
 * finding. The caller hands every field, as __init__ would set it.
 */
/* The (cls, members) pair last found valid, held: a findings run passes the same pair each time,
 * so the checks run once, not per finding. */
static PyObject *checked_cls, *checked_members;

static PyObject *cscan_new_record(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 2 || !PyType_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "new_record(cls, members, *values): cls is a type, "
                                         "members a tuple of its slots' descriptors");
        return NULL;
    }
    PyTypeObject *cls = (PyTypeObject *)args[0];
    PyObject *members = args[1];
    Py_ssize_t n = PyTuple_GET_SIZE(members);
    if (n != nargs - 2) {
        PyErr_Format(PyExc_TypeError, "new_record: %zd members but %zd values", n, nargs - 2);
        return NULL;
    }
    if ((PyObject *)cls != checked_cls || members != checked_members) {
        for (Py_ssize_t k = 0; k < n; k++) {
            PyObject *member = PyTuple_GET_ITEM(members, k);
            if (!Py_IS_TYPE(member, &PyMemberDescr_Type) ||
                !PyType_IsSubtype(cls, ((PyMemberDescrObject *)member)->d_common.d_type) ||
                ((PyMemberDescrObject *)member)->d_member->type != T_OBJECT_EX ||
                (((PyMemberDescrObject *)member)->d_member->flags & READONLY)) {
                PyErr_SetString(PyExc_TypeError,
                                "new_record: each member must be a writable slot of cls or a base");
                return NULL;
            }
        }
        Py_XSETREF(checked_cls, Py_NewRef(cls));
        Py_XSETREF(checked_members, Py_NewRef(members));
    }
    PyObject *self = cls->tp_alloc(cls, 0);
    if (self == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        /* A writable object slot (checked above) of a fresh instance: store as its setter would. */
        PyMemberDef *def = ((PyMemberDescrObject *)PyTuple_GET_ITEM(members, k))->d_member;
        PyObject **slot = (PyObject **)((char *)self + def->offset);
        Py_XSETREF(*slot, Py_NewRef(args[k + 2]));
    }
    return self;
}

/* _decode(text, start, end, attribute[, bare]): decode() on text[start:end], for tests only.
 * Every other caller checks the range's references first; this lets the tests hand decode() one
 * that was not checked (it must raise SystemError, never read out of bounds). */
static PyObject *cscan_decode(PyObject *module, PyObject *args)
{
    PyObject *text;
    Py_ssize_t start, end;
    int attribute, bare = 0;
    if (!PyArg_ParseTuple(args, "Unnp|p:_decode", &text, &start, &end, &attribute, &bare))
        return NULL;
    if (start < 0 || end < start || end > PyUnicode_GET_LENGTH(text)) {
        PyErr_SetString(PyExc_ValueError, "0 <= start <= end <= len(text) is required");
        return NULL;
    }
    Source src;
    memset(&src, 0, sizeof src);
    src.text = text;
    src.kind = PyUnicode_KIND(text);
    src.data = PyUnicode_DATA(text);
    src.len = PyUnicode_GET_LENGTH(text);
    return decode(&src, start, end, attribute, bare);
}

static PyMethodDef methods[] = {
    {"scan", cscan_scan, METH_VARARGS,
     "scan(text, body_start[, bare]) -> tuple of top-level nodes, or None to use the Python "
     "scanner; bare: a list that receives the offsets of bare '&'s (else they decline)"},
    {"configure", cscan_configure, METH_VARARGS,
     "configure(Span, Text, Comment, UnknownElement, known_elements, max_depth)"},
    {"walk", cscan_walk, METH_VARARGS,
     "walk(items, ctx, plan, by_shape, element_type[, speak_type]): the lint engine's walk "
     "(see engine.py)"},
    {"new_record", (PyCFunction)(void (*)(void))cscan_new_record, METH_FASTCALL,
     "new_record(cls, members, *values): a cls whose slot members[k] holds values[k]"},
    {"_decode", cscan_decode, METH_VARARGS,
     "_decode(text, start, end, attribute[, bare]): decode text[start:end] (tests only)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_cscan", "The scanner's fast path (see ssmlkit/_scan.py).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__cscan(void)
{
    empty_tuple = PyTuple_New(0);
    if (empty_tuple == NULL)
        return NULL;
    for (Py_ssize_t v = 0; v < SMALL_INTS; v++) {
        small_ints[v] = PyLong_FromSsize_t(v);
        if (small_ints[v] == NULL)
            return NULL;
    }
    static const char *names[] = {"rule",     "ancestors", "for_shape", "text_calls",
                                  "attrs",    "children",  "failed",    "mutated",
                                  "value",    "span",      "start_tag", "source",
                                  "reported"};
    PyObject **targets[] = {&s_rule,         &s_ancestors,      &s_for_shape,     &s_text_calls,
                            &s_attrs_name,   &s_children_name,  &s_failed,        &s_mutated,
                            &s_value_name,   &s_span_name,      &s_start_tag_name, &s_source_name,
                            &s_reported_name};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        *targets[k] = PyUnicode_InternFromString(names[k]);
        if (*targets[k] == NULL)
            return NULL;
    }
    PyObject *module = PyModule_Create(&module_def);
    if (module != NULL && PyModule_AddIntConstant(module, "GATE_LIMIT", GATE_LIMIT) < 0)
        Py_CLEAR(module);
    return module;
}
