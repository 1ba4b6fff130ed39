/*
 * ssmlkit._cscan: the scanner's fast path, in C.
 *
 * ssmlkit/_scan.py is the scanner: tolerant, position-exact, and the reference for what a scan
 * returns. This module handles only the common case, a document with nothing for the scanner to
 * report, and builds exactly the nodes _scan.py would build for it (same classes, values and
 * spans; tests/property/test_cscan_props.py checks that on generated and mutated documents).
 * Whenever the input leaves that case (a carriage return, a character XML forbids, a DOCTYPE, a
 * CDATA section, a processing instruction, a prefixed or non-ASCII name, a duplicate attribute, a
 * reference it does not know, a mismatched or unclosed tag, nesting past MAX_DEPTH ...), scan()
 * returns None and the caller runs the Python scanner, which says what is wrong. The fast path
 * never reports anything itself, so it cannot disagree with the reference about a problem.
 *
 * Interface (called by ssmlkit._scan):
 *     configure(Span, Text, Comment, UnknownElement, known_elements, max_depth)
 *     scan(text, body_start) -> list of top-level nodes | None
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Classes and names set by configure(); the module keeps one reference to each. */
static PyTypeObject *span_type, *text_type, *comment_type, *unknown_type;
static PyObject *known; /* dict: tag name -> element class */
static Py_ssize_t max_depth = 255;
static PyObject *s_value, *s_span, *s_attrs, *s_children, *s_start_tag, *s_end_tag, *s_attr_spans,
    *s_value_spans, *s_qname, *empty_tuple;

/* A request to hand the input to the Python scanner: not an error, no exception set. */
#define FALLBACK (-2)

typedef struct {
    PyObject *text;
    int kind;
    const void *data;
    Py_ssize_t len;
    Py_ssize_t *lines; /* offsets where lines start: lines[0] == 0 */
    Py_ssize_t nlines;
} Source;

#define READ(src, i) PyUnicode_READ((src)->kind, (src)->data, (i))

typedef struct {
    Py_ssize_t start;      /* offset of '<' */
    Py_ssize_t name_start; /* offset and length of the name, for matching the end tag */
    Py_ssize_t name_len;
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

static int is_space(Py_UCS4 c) { return c == ' ' || c == '\t' || c == '\n'; }

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
    if (i >= src->len || !is_name_start(READ(src, i)))
        return -1;
    i++;
    while (i < src->len && is_name_char(READ(src, i)))
        i++;
    return i;
}

/* First pass: where lines start, and whether anything sends the input to the Python scanner. */
static int index_lines(Source *src)
{
    Py_ssize_t cap = 16, n = 1;
    Py_ssize_t *lines = PyMem_Malloc(cap * sizeof(Py_ssize_t));
    if (lines == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    lines[0] = 0;
    for (Py_ssize_t i = 0; i < src->len; i++) {
        Py_UCS4 c = READ(src, i);
        if (c >= 0x20 && c < 0xD800)
            continue;
        if (c == '\n') {
            if (n == cap) {
                cap *= 2;
                Py_ssize_t *grown = PyMem_Realloc(lines, cap * sizeof(Py_ssize_t));
                if (grown == NULL) {
                    PyMem_Free(lines);
                    PyErr_NoMemory();
                    return -1;
                }
                lines = grown;
            }
            lines[n++] = i + 1;
        }
        else if (c == '\r' || !is_xml_char(c)) {
            PyMem_Free(lines);
            return FALLBACK;
        }
    }
    src->lines = lines;
    src->nlines = n;
    return 0;
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

/* A Span (a tuple subclass, built as CPython builds tuple subclasses: tp_alloc, then items). */
static PyObject *make_span(Source *src, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t line, column, end_line, end_column;
    position(src, start, &line, &column);
    position(src, end, &end_line, &end_column);
    Py_ssize_t values[6] = {start, end, line, column, end_line, end_column};
    PyObject *span = span_type->tp_alloc(span_type, 6);
    if (span == NULL)
        return NULL;
    for (int k = 0; k < 6; k++) {
        PyObject *v = PyLong_FromSsize_t(values[k]);
        if (v == NULL) {
            Py_DECREF(span);
            return NULL;
        }
        PyTuple_SET_ITEM(span, k, v);
    }
    return span;
}

/* Set a slot of a frozen node, as object.__setattr__ does (the class's __setattr__ refuses). */
static int set_field(PyObject *obj, PyObject *name, PyObject *value)
{
    return PyObject_GenericSetAttr(obj, name, value);
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
    if (set_field(node, s_value, value) < 0 || set_field(node, s_span, span) < 0) {
        Py_DECREF(node);
        return NULL;
    }
    return node;
}

/* The element for a closed frame; appends it to parent. end_tag may be Py_None. */
static int close_element(Frame *f, PyObject *span, PyObject *end_tag, PyObject *parent)
{
    PyObject *cls = PyDict_GetItemWithError(known, f->name); /* borrowed */
    if (cls == NULL && PyErr_Occurred())
        return -1;
    PyObject *element = new_node(cls != NULL ? (PyTypeObject *)cls : unknown_type);
    if (element == NULL)
        return -1;
    PyObject *children = PyList_AsTuple(f->children);
    int rc = -1;
    if (children != NULL && (cls != NULL || set_field(element, s_qname, f->name) == 0) &&
        set_field(element, s_attrs, f->attrs) == 0 &&
        set_field(element, s_children, children) == 0 && set_field(element, s_span, span) == 0 &&
        set_field(element, s_start_tag, f->start_tag) == 0 &&
        set_field(element, s_end_tag, end_tag) == 0 &&
        set_field(element, s_attr_spans, f->attr_spans) == 0 &&
        set_field(element, s_value_spans, f->value_spans) == 0)
        rc = PyList_Append(parent, element);
    Py_XDECREF(children);
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
            if (significant > 8)
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

/* The decoded value of source[start:end], whose references were already checked: references
 * replaced and, in attribute values, literal tabs and line feeds turned into spaces. */
static PyObject *decode(Source *src, Py_ssize_t start, Py_ssize_t end, int attribute)
{
    Py_UCS4 *buf = PyMem_Malloc((size_t)(end - start + 1) * sizeof(Py_UCS4));
    if (buf == NULL)
        return PyErr_NoMemory();
    Py_ssize_t n = 0;
    for (Py_ssize_t i = start; i < end;) {
        Py_UCS4 c = READ(src, i);
        if (c == '&') {
            i = reference(src, i, &buf[n++]);
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
    int text_refs;         /* whether it holds references */
} Scanner;

static int flush_text(Scanner *s, Py_ssize_t end)
{
    if (s->text_start < 0)
        return 0;
    Source *src = s->src;
    PyObject *value = s->text_refs ? decode(src, s->text_start, end, 0)
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
    Py_ssize_t name_start = i + 1, j = name_end(src, name_start);
    if (j < 0)
        return FALLBACK;
    PyObject *attrs = NULL, *attr_spans = NULL, *value_spans = NULL, *name = NULL;
    PyObject *tag_span = NULL;
    Py_ssize_t rc = -1;
    /* Attribute names seen, as (start, length) pairs, to detect duplicates without objects. */
    Py_ssize_t seen[64][2];
    Py_ssize_t count = 0;
    int self_closing = 0;

    attrs = PyList_New(0);
    attr_spans = PyList_New(0);
    value_spans = PyList_New(0);
    if (attrs == NULL || attr_spans == NULL || value_spans == NULL)
        goto done;
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
        Py_ssize_t a_start = k, a_name_end = name_end(src, k);
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
            else if (ch == '\t' || ch == '\n')
                needs_decoding = 1;
        }
        if (v >= n) {
            rc = FALLBACK;
            goto done;
        }
        /* v is the closing quote. A reference must not run past it ("&amp" then quote). */
        PyObject *a_name = PyUnicode_Substring(src->text, a_start, a_name_end);
        PyObject *value = a_name == NULL ? NULL
                          : needs_decoding ? decode(src, v_start, v, 1)
                                           : PyUnicode_Substring(src->text, v_start, v);
        PyObject *pair = value == NULL ? NULL : PyTuple_Pack(2, a_name, value);
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
    name = PyUnicode_Substring(src->text, name_start, name_start + (name_end(src, name_start) - name_start));
    tag_span = name ? make_span(src, i, j) : NULL;
    if (tag_span == NULL)
        goto done;
    Frame f = {i, name_start, 0, NULL, NULL, NULL, NULL, NULL, NULL};
    f.name_len = PyUnicode_GET_LENGTH(name);
    if (count) {
        f.attrs = PyList_AsTuple(attrs);
        f.attr_spans = PyList_AsTuple(attr_spans);
        f.value_spans = PyList_AsTuple(value_spans);
    }
    else {
        f.attrs = Py_NewRef(empty_tuple);
        f.attr_spans = Py_NewRef(empty_tuple);
        f.value_spans = Py_NewRef(empty_tuple);
    }
    f.name = Py_NewRef(name);
    f.start_tag = Py_NewRef(tag_span);
    f.children = PyList_New(0);
    if (f.attrs == NULL || f.attr_spans == NULL || f.value_spans == NULL || f.children == NULL) {
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
    Py_ssize_t j = name_end(src, i + 2);
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
    if (p + 2 >= n || (p > body && READ(src, p - 1) == '-'))
        return FALLBACK; /* unclosed, or ending in "--->" */
    PyObject *value = PyUnicode_Substring(src->text, body, p);
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
            if (flush_text(s, pos) < 0)
                return -1;
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
            if (after < 0)
                return FALLBACK;
            if (s->text_start < 0)
                s->text_start = pos;
            s->text_refs = 1;
            pos = after;
        }
        else {
            if (s->text_start < 0)
                s->text_start = pos;
            pos++;
            while (pos < n) {
                c = READ(src, pos);
                if (c == '<' || c == '&')
                    break;
                pos++;
            }
        }
    }
    if (s->depth > 0)
        return FALLBACK; /* unclosed elements: the Python scanner reports them */
    return flush_text(s, n) < 0 ? -1 : n;
}

static PyObject *cscan_scan(PyObject *module, PyObject *args)
{
    PyObject *text;
    Py_ssize_t body_start;
    if (!PyArg_ParseTuple(args, "Un:scan", &text, &body_start))
        return NULL;
    if (span_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "ssmlkit._cscan.configure() was not called");
        return NULL;
    }
    Source src = {text, PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text),
                  NULL, 0};
    int indexed = index_lines(&src);
    if (indexed == FALLBACK)
        Py_RETURN_NONE;
    if (indexed < 0)
        return NULL;
    Frame *stack = PyMem_Calloc((size_t)max_depth + 1, sizeof(Frame));
    PyObject *top = PyList_New(0);
    PyObject *result = NULL;
    if (stack == NULL || top == NULL) {
        if (stack == NULL)
            PyErr_NoMemory();
        goto done;
    }
    stack[0].children = Py_NewRef(top);
    Scanner s = {&src, stack, 0, -1, 0};
    Py_ssize_t end = run(&s, body_start < 0 ? 0 : body_start);
    if (end == FALLBACK)
        result = Py_NewRef(Py_None);
    else if (end >= 0)
        result = Py_NewRef(top);
    for (Py_ssize_t d = 0; d <= s.depth; d++)
        frame_clear(&stack[d]);
done:
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
    if (!PyType_IsSubtype((PyTypeObject *)span, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "Span must be a tuple subclass");
        return NULL;
    }
    Py_XSETREF(span_type, (PyTypeObject *)Py_NewRef(span));
    Py_XSETREF(text_type, (PyTypeObject *)Py_NewRef(text));
    Py_XSETREF(comment_type, (PyTypeObject *)Py_NewRef(comment_));
    Py_XSETREF(unknown_type, (PyTypeObject *)Py_NewRef(unknown));
    Py_XSETREF(known, Py_NewRef(known_));
    max_depth = depth;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"scan", cscan_scan, METH_VARARGS,
     "scan(text, body_start) -> list of top-level nodes, or None to use the Python scanner"},
    {"configure", cscan_configure, METH_VARARGS,
     "configure(Span, Text, Comment, UnknownElement, known_elements, max_depth)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_cscan", "The scanner's fast path (see ssmlkit/_scan.py).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__cscan(void)
{
    static const char *names[] = {"value",      "span",        "attrs",        "children",
                                  "start_tag",  "end_tag",     "attr_spans",   "value_spans",
                                  "qname"};
    PyObject **slots[] = {&s_value,     &s_span,       &s_attrs,       &s_children, &s_start_tag,
                          &s_end_tag,   &s_attr_spans, &s_value_spans, &s_qname};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        *slots[k] = PyUnicode_InternFromString(names[k]);
        if (*slots[k] == NULL)
            return NULL;
    }
    empty_tuple = PyTuple_New(0);
    if (empty_tuple == NULL)
        return NULL;
    return PyModule_Create(&module_def);
}
