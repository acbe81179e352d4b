/*
 * hlsp._speedups -- the inner loops of the FITS reader (hlsp/fits/), in C.
 * Each function has a pure-Python twin that gives the same answers (in
 * hlsp/fits/checksum.py, read.py, card.py, tables.py): tests/fits/test_speedups.py
 * runs both on the same bytes, tests/fits/test_speedups_sanitized.py runs this file
 * under ASan/UBSan.  The reader uses this module when it is built and falls
 * back to the twins otherwise (or when HLSP_PURE_PYTHON=1).
 *
 *   ones_sum(buffer)            sum of the big-endian 32-bit words (checksums)
 *   any_finite(buffer, size)    is any big-endian float of `size` bytes finite?
 *   parse_cards(text, n, memo, parse, Card)
 *                               split a header into Card objects, parsing each
 *                               distinct 80-character card once (memo)
 *   parse_fields(raw)           one card's keyword, value and comment (the
 *                               common cases; None sends the rest to Python)
 *   scan_rows(buffer, row_len, checks, heap_size)
 *                               the values of binary-table rows that no reader
 *                               can interpret (see hlsp/fits/tables.py)
 *
 * The GIL is released while big buffers are summed or scanned, so two threads
 * can sum two halves of a large data unit at once.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <string.h>

#define RELEASE_GIL_ABOVE (64 * 1024)

/* Run `stmt` without the GIL when the buffer is big enough for that to pay. */
#define MAYBE_WITHOUT_GIL(len, stmt)                         \
    do {                                                     \
        if ((len) >= RELEASE_GIL_ABOVE) {                    \
            Py_BEGIN_ALLOW_THREADS stmt; Py_END_ALLOW_THREADS \
        } else {                                             \
            stmt;                                            \
        }                                                    \
    } while (0)

/* ------------------------------------------------------------------ ones_sum */

#if defined(__GNUC__) && defined(__x86_64__) && defined(__linux__) && !defined(__clang__)
#define HLSP_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define HLSP_CLONES
#endif

static inline uint32_t
load_be32(const unsigned char *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return w;
#else
    return __builtin_bswap32(w);
#endif
}

/* Sum of at most 2**32 - 1 words: fits in 64 bits. */
HLSP_CLONES static uint64_t
sum_block(const unsigned char *p, Py_ssize_t nwords)
{
    uint64_t s = 0;
    for (Py_ssize_t i = 0; i < nwords; i++)
        s += load_be32(p + 4 * i);
    return s;
}

/* A number congruent to the sum of the words modulo 2**32 - 1, and zero only
 * when every word is zero: what ones'-complement folding needs.  (The
 * pure-Python twin returns the exact sum; both fold to the same checksum.) */
static uint64_t
sum_words(const unsigned char *p, Py_ssize_t nwords)
{
    uint64_t total = 0;
    const Py_ssize_t step = (Py_ssize_t)1 << 28;
    while (nwords > 0) {
        Py_ssize_t n = nwords < step ? nwords : step;
        total += sum_block(p, n);
        total = (total & 0xFFFFFFFFu) + (total >> 32);
        p += 4 * n;
        nwords -= n;
    }
    return total;
}

static PyObject *
ones_sum(PyObject *self, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    if (view.len % 4) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "ones_sum: the length must be a multiple of 4");
        return NULL;
    }
    uint64_t total;
    MAYBE_WITHOUT_GIL(view.len, total = sum_words(view.buf, view.len / 4));
    PyBuffer_Release(&view);
    return PyLong_FromUnsignedLongLong(total);
}

/* ---------------------------------------------------------------- any_finite */

/* A big-endian IEEE float is finite unless its exponent bits are all ones. */
static int
scan_finite(const unsigned char *p, Py_ssize_t n, int size)
{
    if (size == 4) {
        for (Py_ssize_t i = 0; i + 4 <= n; i += 4)
            if ((p[i] & 0x7F) != 0x7F || (p[i + 1] & 0x80) != 0x80)
                return 1;
    } else {
        for (Py_ssize_t i = 0; i + 8 <= n; i += 8)
            if ((p[i] & 0x7F) != 0x7F || (p[i + 1] & 0xF0) != 0xF0)
                return 1;
    }
    return 0;
}

static PyObject *
any_finite(PyObject *self, PyObject *args)
{
    Py_buffer view;
    int size;
    if (!PyArg_ParseTuple(args, "y*i:any_finite", &view, &size))
        return NULL;
    if (size != 4 && size != 8) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "any_finite: size must be 4 or 8");
        return NULL;
    }
    int found;
    MAYBE_WITHOUT_GIL(view.len, found = scan_finite(view.buf, view.len, size));
    PyBuffer_Release(&view);
    return PyBool_FromLong(found);
}

/* --------------------------------------------------------------- parse_cards */

/* The fields of hlsp.fits.card.Card, in the order parse_cards fills them. */
#define N_FIELDS 8
static const char *card_fields[N_FIELDS] = {
    "index", "keyword", "raw", "has_value", "value", "vtype", "comment", "error",
};

/* Card is a dataclass with __slots__: its fields are object slots at fixed
 * offsets.  When the class looks exactly like that, cards are made by filling
 * the slots (no __init__ call); otherwise by calling the class. */
static int
slot_offsets(PyTypeObject *type, Py_ssize_t *offsets)
{
    if (type->tp_dictoffset != 0 || !(type->tp_flags & Py_TPFLAGS_HAVE_GC))
        return 0;
    for (int i = 0; i < N_FIELDS; i++) {
        PyObject *d = PyObject_GetAttrString((PyObject *)type, card_fields[i]);
        if (d == NULL) {
            PyErr_Clear();
            return 0;
        }
        int ok = Py_IS_TYPE(d, &PyMemberDescr_Type)
                 && ((PyMemberDescrObject *)d)->d_member->type == T_OBJECT_EX
                 && ((PyMemberDescrObject *)d)->d_common.d_type == type;
        if (ok)
            offsets[i] = ((PyMemberDescrObject *)d)->d_member->offset;
        Py_DECREF(d);
        if (!ok)
            return 0;
    }
    return 1;
}

/* parse_cards(text, n_cards, memo, parse, Card) -> (cards, first)
 *
 * text: the header as str (latin-1 decoded), at least 80 * n_cards long.
 * memo: dict, 80-character card -> (keyword, has_value, value, vtype, comment,
 *       error); missing entries are made by parse(raw) and stored.
 * Returns the list of Card objects (index 1..n) and a dict of the first card
 * of each keyword. */
static PyObject *
parse_cards(PyObject *self, PyObject *args)
{
    PyObject *text, *memo, *parse;
    PyTypeObject *card_type;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "UnO!OO!:parse_cards", &text, &n, &PyDict_Type, &memo, &parse,
                          &PyType_Type, &card_type))
        return NULL;
    if (n < 0 || n > PY_SSIZE_T_MAX / 80 || PyUnicode_GET_LENGTH(text) < n * 80) {
        PyErr_SetString(PyExc_ValueError, "parse_cards: the text is shorter than n_cards cards");
        return NULL;
    }
    Py_ssize_t offsets[N_FIELDS];
    int direct = slot_offsets(card_type, offsets);

    PyObject *cards = PyList_New(n);
    PyObject *first = PyDict_New();
    if (cards == NULL || first == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *raw = PyUnicode_Substring(text, i * 80, (i + 1) * 80);
        if (raw == NULL)
            goto fail;
        /* A reference of our own: Python code run below (a garbage collection,
         * the Card class) could let another thread clear the memo. */
        PyObject *parsed = PyDict_GetItemWithError(memo, raw);
        if (parsed != NULL) {
            Py_INCREF(parsed);
        } else {
            if (PyErr_Occurred()) {
                Py_DECREF(raw);
                goto fail;
            }
            parsed = PyObject_CallOneArg(parse, raw);
            if (parsed == NULL || PyDict_SetItem(memo, raw, parsed) < 0) {
                Py_XDECREF(parsed);
                Py_DECREF(raw);
                goto fail;
            }
        }
        if (!PyTuple_Check(parsed) || PyTuple_GET_SIZE(parsed) != 6) {
            Py_DECREF(parsed);
            Py_DECREF(raw);
            PyErr_SetString(PyExc_TypeError, "parse_cards: parse() must return a 6-tuple");
            goto fail;
        }
        PyObject *index = PyLong_FromSsize_t(i + 1);
        if (index == NULL) {
            Py_DECREF(parsed);
            Py_DECREF(raw);
            goto fail;
        }
        PyObject *values[N_FIELDS] = {
            index, PyTuple_GET_ITEM(parsed, 0), raw, PyTuple_GET_ITEM(parsed, 1),
            PyTuple_GET_ITEM(parsed, 2), PyTuple_GET_ITEM(parsed, 3), PyTuple_GET_ITEM(parsed, 4),
            PyTuple_GET_ITEM(parsed, 5),
        };
        PyObject *card;
        if (direct) {
            card = card_type->tp_alloc(card_type, 0);
            if (card != NULL)
                for (int f = 0; f < N_FIELDS; f++) {
                    Py_INCREF(values[f]);
                    *(PyObject **)((char *)card + offsets[f]) = values[f];
                }
        } else {
            card = PyObject_Vectorcall((PyObject *)card_type, values, N_FIELDS, NULL);
        }
        Py_DECREF(index);
        Py_DECREF(raw);
        if (card == NULL) {
            Py_DECREF(parsed);
            goto fail;
        }
        PyList_SET_ITEM(cards, i, card); /* steals */
        PyObject *got = PyDict_SetDefault(first, values[1], card);
        Py_DECREF(parsed);
        if (got == NULL)
            goto fail;
    }
    PyObject *result = PyTuple_Pack(2, cards, first);
    Py_DECREF(cards);
    Py_DECREF(first);
    return result;
fail:
    Py_XDECREF(cards);
    Py_XDECREF(first);
    return NULL;
}

/* ----------------------------------------------------------------- scan_rows */

static inline uint64_t
load_be64(const unsigned char *p)
{
    return ((uint64_t)load_be32(p) << 32) | load_be32(p + 4);
}

typedef struct {
    Py_ssize_t offset, repeat;
    long long elem_size, maxlen;
    char code;
} row_check;

static int
row_is_bad(const unsigned char *p, const row_check *c, unsigned long long heap)
{
    Py_ssize_t j;
    switch (c->code) {
    case 'L':
        for (j = 0; j < c->repeat; j++)
            if (p[j] != 'T' && p[j] != 'F' && p[j] != 0)
                return 1;
        return 0;
    case 'A':
        for (j = 0; j < c->repeat && p[j] != 0; j++)
            if (p[j] < 0x20 || p[j] > 0x7E)
                return 1;
        return 0;
    case 'X': {
        int used = (int)(c->repeat % 8);
        return (p[(c->repeat + 7) / 8 - 1] & ((1u << (8 - used)) - 1)) != 0;
    }
    default: { /* P or Q descriptor: (number of elements, offset in the heap) */
        unsigned long long nelem, start, length;
        if (c->code == 'P') {
            nelem = load_be32(p);
            start = load_be32(p + 4);
        } else {
            nelem = load_be64(p);
            start = load_be64(p + 8);
        }
        if (c->maxlen >= 0 && nelem > (unsigned long long)c->maxlen)
            return 1;
        if (c->elem_size == 0)
            length = nelem / 8 + (nelem % 8 != 0);
        else if (nelem > heap / (unsigned long long)c->elem_size)
            return 1;
        else
            length = nelem * (unsigned long long)c->elem_size;
        return start > heap || length > heap - start;
    }
    }
}

/* scan_rows(buffer, row_len, checks, heap_size) -> [(check, first_row, count)]
 * checks: ((offset, code, repeat, elem_size, maxlen), ...) as made by
 * hlsp.fits.tables.plan_table; the buffer holds whole rows. */
static PyObject *
scan_rows(PyObject *self, PyObject *args)
{
    Py_buffer view;
    Py_ssize_t row_len;
    PyObject *checks_obj;
    long long heap_size;
    if (!PyArg_ParseTuple(args, "y*nO!L:scan_rows", &view, &row_len, &PyTuple_Type, &checks_obj, &heap_size))
        return NULL;
    Py_ssize_t nchecks = PyTuple_GET_SIZE(checks_obj);
    row_check *checks = PyMem_Calloc(nchecks ? nchecks : 1, sizeof(row_check));
    Py_ssize_t *first = PyMem_Calloc(nchecks ? nchecks : 1, sizeof(Py_ssize_t));
    Py_ssize_t *count = PyMem_Calloc(nchecks ? nchecks : 1, sizeof(Py_ssize_t));
    PyObject *out = NULL;
    if (checks == NULL || first == NULL || count == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (row_len <= 0 || heap_size < 0) {
        PyErr_SetString(PyExc_ValueError, "scan_rows: row_len must be positive and heap_size not negative");
        goto done;
    }
    for (Py_ssize_t k = 0; k < nchecks; k++) {
        const char *code;
        Py_ssize_t code_len;
        row_check *c = &checks[k];
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(checks_obj, k), "ns#nLL:scan_rows check", &c->offset, &code,
                              &code_len, &c->repeat, &c->elem_size, &c->maxlen))
            goto done;
        c->code = code_len == 1 ? code[0] : '?';
        Py_ssize_t width = c->code == 'X' ? (c->repeat + 7) / 8 : c->code == 'P' ? 8 : c->code == 'Q' ? 16 : c->repeat;
        if (!strchr("LAXPQ", c->code) || c->code == 0 || c->repeat <= 0 || c->offset < 0 || c->elem_size < 0
            || width > row_len - c->offset) {
            PyErr_SetString(PyExc_ValueError, "scan_rows: a check does not fit in the row");
            goto done;
        }
        first[k] = -1;
    }
    Py_ssize_t nrows = view.len / row_len;
    const unsigned char *buf = view.buf;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < nrows; r++)
        for (Py_ssize_t k = 0; k < nchecks; k++)
            if (row_is_bad(buf + r * row_len + checks[k].offset, &checks[k], (unsigned long long)heap_size)) {
                if (first[k] < 0)
                    first[k] = r;
                count[k]++;
            }
    Py_END_ALLOW_THREADS
    out = PyList_New(0);
    for (Py_ssize_t k = 0; out != NULL && k < nchecks; k++) {
        if (!count[k])
            continue;
        PyObject *item = Py_BuildValue("(nnn)", k, first[k], count[k]);
        if (item == NULL || PyList_Append(out, item) < 0)
            Py_CLEAR(out);
        Py_XDECREF(item);
    }
done:
    PyMem_Free(checks);
    PyMem_Free(first);
    PyMem_Free(count);
    PyBuffer_Release(&view);
    return out;
}

/* -------------------------------------------------------------- parse_fields */

/* The common cards, parsed as hlsp.fits.card.parse_card parses them; None for
 * the rest (HIERARCH, CONTINUE, complex and invalid values, any byte outside
 * printable ASCII), which the caller parses in Python.  With printable ASCII
 * only, Python's str.strip() strips exactly the blanks stripped here. */

static PyObject *
substr(const char *p, Py_ssize_t lo, Py_ssize_t hi)
{
    return PyUnicode_FromStringAndSize(p + lo, hi > lo ? hi - lo : 0);
}

static void
strip_blanks(const char *p, Py_ssize_t *lo, Py_ssize_t *hi)
{
    while (*lo < *hi && p[*lo] == ' ')
        (*lo)++;
    while (*hi > *lo && p[*hi - 1] == ' ')
        (*hi)--;
}

static int
is_int_token(const char *p, Py_ssize_t lo, Py_ssize_t hi)
{
    if (lo < hi && (p[lo] == '+' || p[lo] == '-'))
        lo++;
    if (lo >= hi)
        return 0;
    for (; lo < hi; lo++)
        if (p[lo] < '0' || p[lo] > '9')
            return 0;
    return 1;
}

/* [+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([EeDd][+-]?[0-9]+)? */
static int
is_float_token(const char *p, Py_ssize_t lo, Py_ssize_t hi)
{
    Py_ssize_t i = lo, digits = 0;
    if (i < hi && (p[i] == '+' || p[i] == '-'))
        i++;
    while (i < hi && p[i] >= '0' && p[i] <= '9')
        i++, digits++;
    if (i < hi && p[i] == '.') {
        i++;
        while (i < hi && p[i] >= '0' && p[i] <= '9')
            i++, digits++;
    }
    if (!digits)
        return 0;
    if (i < hi && strchr("EeDd", p[i]) && p[i] != 0) {
        i++;
        if (i < hi && (p[i] == '+' || p[i] == '-'))
            i++;
        Py_ssize_t exp = 0;
        while (i < hi && p[i] >= '0' && p[i] <= '9')
            i++, exp++;
        if (!exp)
            return 0;
    }
    return i == hi;
}

static PyObject *
fields(PyObject *keyword, int has_value, PyObject *value, const char *vtype, PyObject *comment)
{
    /* steals keyword, value and comment */
    PyObject *out = NULL;
    if (keyword != NULL && value != NULL && comment != NULL)
        out = Py_BuildValue("(OOOsOO)", keyword, has_value ? Py_True : Py_False, value, vtype, comment, Py_None);
    Py_XDECREF(keyword);
    Py_XDECREF(value);
    Py_XDECREF(comment);
    return out;
}

static PyObject *
parse_fields(PyObject *self, PyObject *raw)
{
    if (!PyUnicode_Check(raw)) {
        PyErr_SetString(PyExc_TypeError, "parse_fields: raw must be str");
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(raw) || PyUnicode_GET_LENGTH(raw) != 80)
        Py_RETURN_NONE;
    const char *p = (const char *)PyUnicode_1BYTE_DATA(raw);
    for (int i = 0; i < 80; i++)
        if (p[i] < 0x20 || p[i] > 0x7E)
            Py_RETURN_NONE;
    Py_ssize_t klen = 8;
    while (klen > 0 && p[klen - 1] == ' ')
        klen--;
    if ((klen == 8 && (!memcmp(p, "HIERARCH", 8) || !memcmp(p, "CONTINUE", 8))))
        Py_RETURN_NONE;
    int commentary = klen == 0 || (klen == 7 && (!memcmp(p, "COMMENT", 7) || !memcmp(p, "HISTORY", 7)));
    if (p[8] != '=' || p[9] != ' ' || commentary) {
        Py_ssize_t hi = 80;
        while (hi > 8 && p[hi - 1] == ' ')
            hi--;
        Py_INCREF(Py_None);
        return fields(substr(p, 0, klen), 0, Py_None, "none", substr(p, 8, hi));
    }
    Py_ssize_t i = 10;
    while (i < 80 && p[i] == ' ')
        i++;
    if (i == 80) {
        Py_INCREF(Py_None);
        return fields(substr(p, 0, klen), 1, Py_None, "undefined", PyUnicode_FromString(""));
    }
    if (p[i] == '/') {
        Py_ssize_t lo = i + 1, hi = 80;
        strip_blanks(p, &lo, &hi);
        Py_INCREF(Py_None);
        return fields(substr(p, 0, klen), 1, Py_None, "undefined", substr(p, lo, hi));
    }
    if (p[i] == '(')
        Py_RETURN_NONE;
    if (p[i] == '\'') {
        char buf[80];
        Py_ssize_t n = 0, j = i + 1;
        for (;;) {
            if (j >= 80)
                Py_RETURN_NONE; /* no closing quote: invalid, parsed in Python */
            if (p[j] == '\'') {
                if (j + 1 < 80 && p[j + 1] == '\'') {
                    buf[n++] = '\'';
                    j += 2;
                    continue;
                }
                break;
            }
            buf[n++] = p[j++];
        }
        while (n > 0 && buf[n - 1] == ' ')
            n--;
        Py_ssize_t lo = j + 1, hi = 80;
        while (lo < hi && p[lo] == ' ')
            lo++;
        if (lo < hi && p[lo] != '/')
            Py_RETURN_NONE; /* text after the closing quote: invalid */
        PyObject *comment;
        if (lo < hi) {
            lo++;
            strip_blanks(p, &lo, &hi);
            comment = substr(p, lo, hi);
        } else {
            comment = PyUnicode_FromString("");
        }
        return fields(substr(p, 0, klen), 1, PyUnicode_FromStringAndSize(buf, n), "str", comment);
    }
    Py_ssize_t slash = i;
    while (slash < 80 && p[slash] != '/')
        slash++;
    Py_ssize_t tlo = i, thi = slash, clo = slash + 1, chi = 80;
    strip_blanks(p, &tlo, &thi);
    PyObject *comment;
    if (slash < 80) {
        strip_blanks(p, &clo, &chi);
        comment = substr(p, clo, chi);
    } else {
        comment = PyUnicode_FromString("");
    }
    if (comment == NULL)
        return NULL;
    if (thi - tlo == 1 && (p[tlo] == 'T' || p[tlo] == 'F')) {
        PyObject *v = p[tlo] == 'T' ? Py_True : Py_False;
        Py_INCREF(v);
        return fields(substr(p, 0, klen), 1, v, "bool", comment);
    }
    char tok[81];
    memcpy(tok, p + tlo, thi - tlo);
    tok[thi - tlo] = 0;
    if (is_int_token(p, tlo, thi))
        return fields(substr(p, 0, klen), 1, PyLong_FromString(tok, NULL, 10), "int", comment);
    if (is_float_token(p, tlo, thi)) {
        for (char *c = tok; *c; c++) {
            if (*c == 'D')
                *c = 'E';
            else if (*c == 'd')
                *c = 'e';
        }
        PyObject *text = PyUnicode_FromString(tok);
        PyObject *v = text ? PyFloat_FromString(text) : NULL;
        Py_XDECREF(text);
        return fields(substr(p, 0, klen), 1, v, "float", comment);
    }
    Py_DECREF(comment);
    Py_RETURN_NONE; /* not a valid value: parsed (and worded) in Python */
}

/* -------------------------------------------------------- first_unprintable */

/* The offset of the first byte outside printable ASCII (0x20-0x7e), or -1.
 * Eight bytes at a time: in a word whose bytes are all below 0x80, adding 0x60
 * to each sets its top bit unless it is below 0x20, and adding 1 sets it only
 * for 0x7f (no byte carries into the next); the word holding a bad byte is
 * then searched byte by byte. */
static PyObject *
first_unprintable(PyObject *self, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    const unsigned char *p = view.buf;
    Py_ssize_t n = view.len, i = 0, found = -1;
    const uint64_t top = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if ((w & top) | (~(w + 0x60 * ones) & top) | ((w + ones) & top))
            break;
    }
    for (; i < n; i++)
        if ((unsigned char)(p[i] - 0x20) > 0x5e) {
            found = i;
            break;
        }
    PyBuffer_Release(&view);
    return PyLong_FromSsize_t(found);
}

/* ----------------------------------------------------------- clean_ascii_column */

/* Does field p[0..w) hold only blanks, or a number as hlsp.fits.tables'
 * _CLEAN_INT_COLUMN / _CLEAN_FLOAT_COLUMN accept one: blanks, [+-]digits
 * (integer), or [+-]digits*.digits*[(E|D)[+-]digits*] (float), blanks? */
static int
clean_field(const unsigned char *p, Py_ssize_t w, int integer)
{
    Py_ssize_t i = 0, d;
    while (i < w && p[i] == ' ')
        i++;
    if (i == w)
        return 1;
    if (p[i] == '+' || p[i] == '-')
        i++;
    for (d = i; i < w && p[i] >= '0' && p[i] <= '9'; i++)
        ;
    if (integer) {
        if (i == d)
            return 0;
    } else {
        if (i == w || p[i] != '.')
            return 0;
        for (i++; i < w && p[i] >= '0' && p[i] <= '9'; i++)
            ;
        if (i < w && (p[i] == 'E' || p[i] == 'D')) {
            i++;
            if (i < w && (p[i] == '+' || p[i] == '-'))
                i++;
            while (i < w && p[i] >= '0' && p[i] <= '9')
                i++;
        }
    }
    while (i < w && p[i] == ' ')
        i++;
    return i == w;
}

/* clean_ascii_column(buffer, row_len, start, width, integer) -> bool: is the field
 * [start, start+width) of every whole row clean (see clean_field)? */
static PyObject *
clean_ascii_column(PyObject *self, PyObject *args)
{
    Py_buffer view;
    Py_ssize_t row_len, start, width;
    int integer;
    if (!PyArg_ParseTuple(args, "y*nnnp:clean_ascii_column", &view, &row_len, &start, &width, &integer))
        return NULL;
    if (row_len <= 0 || start < 0 || width < 0 || width > row_len - start) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "clean_ascii_column: the field does not fit in the row");
        return NULL;
    }
    const unsigned char *p = view.buf;
    Py_ssize_t nrows = view.len / row_len;
    int ok = 1;
    for (Py_ssize_t r = 0; ok && r < nrows; r++)
        ok = clean_field(p + r * row_len + start, width, integer);
    PyBuffer_Release(&view);
    return PyBool_FromLong(ok);
}

/* ------------------------------------------------------------------ find_end */

/* The offset of the first card (on an 80-byte boundary) whose name field is
 * "END     ", or -1. */
static PyObject *
find_end(PyObject *self, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    const char *p = view.buf;
    Py_ssize_t found = -1;
    for (Py_ssize_t i = 0; i + 8 <= view.len; i += 80)
        if (memcmp(p + i, "END     ", 8) == 0) {
            found = i;
            break;
        }
    PyBuffer_Release(&view);
    return PyLong_FromSsize_t(found);
}

/* ------------------------------------------------------------------- module */

static PyMethodDef methods[] = {
    {"ones_sum", ones_sum, METH_O,
     "ones_sum(buffer) -> int: a number congruent (mod 2**32-1) to the sum of the big-endian "
     "32-bit words of buffer, zero only if they are all zero (len % 4 == 0)."},
    {"any_finite", any_finite, METH_VARARGS,
     "any_finite(buffer, size) -> bool: is any big-endian IEEE float of size 4 or 8 finite?"},
    {"parse_cards", parse_cards, METH_VARARGS,
     "parse_cards(text, n_cards, memo, parse, Card) -> (cards, first): the Card objects of a "
     "header and the first card of each keyword."},
    {"parse_fields", parse_fields, METH_O,
     "parse_fields(raw) -> (keyword, has_value, value, vtype, comment, None) for the common "
     "80-character cards, or None where hlsp.fits.card.parse_card must decide."},
    {"scan_rows", scan_rows, METH_VARARGS,
     "scan_rows(buffer, row_len, checks, heap_size) -> [(check, first_row, count)]: binary-table "
     "values no reader can interpret (see hlsp.fits.tables)."},
    {"first_unprintable", first_unprintable, METH_O,
     "first_unprintable(buffer) -> int: the offset of the first byte outside printable ASCII "
     "(0x20-0x7e), or -1."},
    {"clean_ascii_column", clean_ascii_column, METH_VARARGS,
     "clean_ascii_column(buffer, row_len, start, width, integer) -> bool: does the field of every "
     "row hold blanks or a number (hlsp.fits.tables' fast path for ASCII tables)?"},
    {"find_end", find_end, METH_O,
     "find_end(buffer) -> int: the offset of the first card (on an 80-byte boundary) named END, or -1."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "hlsp._speedups", "Compiled inner loops of hlsp.fits.", -1, methods,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    return PyModule_Create(&module);
}
