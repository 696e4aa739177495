/* The PDF reader's per-character and per-object loops in C.
 *
 * parsers/readers/pdf_glyphs.py reads every character's loose box through pdfium's
 * FPDFText_GetLooseCharBox, then groups the characters into physical lines.
 * From Python the first is one ctypes call per character (~0.5 us of libffi
 * and argument conversion each; a circular has ~4,000 characters) and the
 * second a Python loop over the same characters: together they cost more
 * than pdfium's own text extraction (bench/bench_pdf.py). These functions do
 * the same work in C and hand back what the Python loops build; when this
 * module is not compiled (no C compiler at install) the Python loops run, and
 * tests/test_pdf_reader.py checks that both give identical results.
 *
 * pdfium is not linked here: the caller passes the addresses of the pdfium
 * functions pypdfium2 has already loaded, and the text page handle, as ints.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>

/* FS_RECTF of fpdfview.h: left, top, right, bottom in PDF points (bottom-left origin). */
typedef struct { float left, top, right, bottom; } rect_f;
typedef int (*count_chars_fn)(void *textpage);
typedef int (*get_text_fn)(void *textpage, int start, int count, unsigned short *buffer);
typedef unsigned int (*get_unicode_fn)(void *textpage, int index);
typedef int (*loose_box_fn)(void *textpage, int index, rect_f *rect);
typedef float (*char_angle_fn)(void *textpage, int index);

/* Radians off upright beyond which a glyph is turned: the text of a seal runs round its arc. */
#define TURNED_ANGLE 0.1
#define TWO_PI 6.283185307179586

/* Append (x0, top, x1, bottom, text) with a top-left origin, as pdf_glyphs.py's _Char, to
   `chars`, or to `turned` (and its angle to `angles`) when the glyph is drawn at an angle. */
static int append_char(PyObject *chars, PyObject *turned, PyObject *angles, loose_box_fn loose_box,
                       char_angle_fn char_angle, void *textpage, int index, double page_height, Py_UCS4 code) {
    rect_f rect;
    if (!loose_box(textpage, index, &rect)) {
        return 0;
    }
    double angle = (double)char_angle(textpage, index); /* -1 when pdfium cannot tell: upright */
    if (angle > TURNED_ANGLE && angle < TWO_PI - TURNED_ANGLE) {
        PyObject *value = PyFloat_FromDouble(angle);
        if (value == NULL || PyList_Append(angles, value) < 0) {
            Py_XDECREF(value);
            return -1;
        }
        Py_DECREF(value);
        chars = turned;
    }
    PyObject *text = PyUnicode_FromOrdinal((int)code);
    if (text == NULL) {
        return -1;
    }
    PyObject *item = Py_BuildValue("(ddddN)", (double)rect.left, page_height - (double)rect.top,
                                   (double)rect.right, page_height - (double)rect.bottom, text);
    if (item == NULL) {
        return -1;
    }
    int failed = PyList_Append(chars, item);
    Py_DECREF(item);
    return failed;
}

/* page_chars(textpage, count_chars, get_text, get_unicode, loose_box, char_angle, page_height)
 *   -> (chars, bad, has_paren, latin1, turned, angles)
 *
 * The rules are those of pdf_glyphs.py `_iter_page_chars_python`, which documents them. */
static PyObject *page_chars(PyObject *self, PyObject *args) {
    (void)self;
    unsigned long long textpage_address, count_address, text_address, unicode_address, box_address,
        angle_address;
    double page_height;
    if (!PyArg_ParseTuple(args, "KKKKKKd", &textpage_address, &count_address, &text_address,
                          &unicode_address, &box_address, &angle_address, &page_height)) {
        return NULL;
    }
    char_angle_fn char_angle = (char_angle_fn)(uintptr_t)angle_address;
    void *textpage = (void *)(uintptr_t)textpage_address;
    count_chars_fn count_chars = (count_chars_fn)(uintptr_t)count_address;
    get_text_fn get_text = (get_text_fn)(uintptr_t)text_address;
    get_unicode_fn get_unicode = (get_unicode_fn)(uintptr_t)unicode_address;
    loose_box_fn loose_box = (loose_box_fn)(uintptr_t)box_address;

    PyObject *chars = PyList_New(0);
    PyObject *turned = PyList_New(0);
    PyObject *angles = PyList_New(0);
    if (chars == NULL || turned == NULL || angles == NULL) {
        Py_XDECREF(chars);
        Py_XDECREF(turned);
        Py_XDECREF(angles);
        return NULL;
    }
    int count = count_chars(textpage);
    if (count <= 0) {
        return Py_BuildValue("(NiiiNN)", chars, 0, 0, 0, turned, angles);
    }
    unsigned short *units = PyMem_Malloc(sizeof(unsigned short) * ((size_t)count + 1));
    if (units == NULL) {
        Py_DECREF(chars);
        Py_DECREF(turned);
        Py_DECREF(angles);
        return PyErr_NoMemory();
    }
    /* pdfium writes a terminating NUL: written == count + 1 when its text view has one
       code unit per character index. Otherwise it dropped or inserted some: ask per index. */
    int per_index = get_text(textpage, 0, count, units) - 1 != count;
    int bad = 0, has_paren = 0, latin1 = 0;
    Py_UCS4 pending_high = 0;
    for (int i = 0; i < count; i++) {
        Py_UCS4 code = per_index ? (Py_UCS4)get_unicode(textpage, i) : (Py_UCS4)units[i];
        Py_UCS4 out = code;
        if (code >= 0x4E00 && code <= 0x9FFF) {
            if (append_char(chars, turned, angles, loose_box, char_angle, textpage, i, page_height, code) < 0) {
                goto error;
            }
            continue;
        }
        if (code == '(') {
            has_paren = 1;
        }
        if (code <= 32 || code == 0xA0 || code == 0x3000 || code == 0xFEFF || code == 0x200B) {
            continue;
        }
        if (code >= 0xD800 && code < 0xDC00) {
            pending_high = code;
            continue;
        }
        if (code >= 0xDC00 && code < 0xE000 && pending_high) {
            out = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00);
            pending_high = 0;
        }
        if (code == 0xFFFD || (code >= 0xE000 && code <= 0xF8FF) || (code >= 0x7F && code < 0xA0) ||
            code == 0xFFFE) {
            bad++;
            continue;
        }
        if (code >= 0xA1 && code <= 0xFF) {
            latin1++;
        }
        if (append_char(chars, turned, angles, loose_box, char_angle, textpage, i, page_height, out) < 0) {
            goto error;
        }
    }
    PyMem_Free(units);
    return Py_BuildValue("(NiiiNN)", chars, bad, has_paren, latin1, turned, angles);
error:
    PyMem_Free(units);
    Py_DECREF(chars);
    Py_DECREF(turned);
    Py_DECREF(angles);
    return NULL;
}

/* FPDFPage_* and FPDFPageObj_* of fpdf_edit.h. */
typedef int (*count_objects_fn)(void *page);
typedef void *(*get_object_fn)(void *page, int index);
typedef int (*object_type_fn)(void *object);
typedef int (*object_bounds_fn)(void *object, float *left, float *bottom, float *right, float *top);
enum { PAGEOBJ_PATH = 2, PAGEOBJ_IMAGE = 3 };

/* page_paths(page, count_objects, get_object, object_type, object_bounds)
 *   -> ([(index, left, bottom, right, top)], images, paths)
 *
 * The bounds (PDF points, bottom-left origin) of the page's path objects, and how many image
 * and path objects it has. A page holds ~30 text objects for every path (17,560 and 565 over
 * the dev corpus): pdf.py `page_rules` needs only the paths, and asking pdfium for every
 * object's type from Python was one ctypes call per object. */
static PyObject *page_paths(PyObject *self, PyObject *args) {
    (void)self;
    unsigned long long page_address, count_address, get_address, type_address, bounds_address;
    if (!PyArg_ParseTuple(args, "KKKKK", &page_address, &count_address, &get_address, &type_address,
                          &bounds_address)) {
        return NULL;
    }
    void *page = (void *)(uintptr_t)page_address;
    count_objects_fn count_objects = (count_objects_fn)(uintptr_t)count_address;
    get_object_fn get_object = (get_object_fn)(uintptr_t)get_address;
    object_type_fn object_type = (object_type_fn)(uintptr_t)type_address;
    object_bounds_fn object_bounds = (object_bounds_fn)(uintptr_t)bounds_address;
    PyObject *bounds = PyList_New(0);
    if (bounds == NULL) return NULL;
    int count = count_objects(page), images = 0, paths = 0;
    for (int k = 0; k < count; k++) {
        void *object = get_object(page, k);
        if (object == NULL) continue;
        int kind = object_type(object);
        if (kind == PAGEOBJ_IMAGE) {
            images++;
            continue;
        }
        if (kind != PAGEOBJ_PATH) continue;
        paths++;
        float left, bottom, right, top;
        if (!object_bounds(object, &left, &bottom, &right, &top)) continue;
        PyObject *item = Py_BuildValue("(idddd)", k, (double)left, (double)bottom, (double)right, (double)top);
        if (item == NULL || PyList_Append(bounds, item) < 0) {
            Py_XDECREF(item);
            Py_DECREF(bounds);
            return NULL;
        }
        Py_DECREF(item);
    }
    return Py_BuildValue("(Nii)", bounds, images, paths);
}

/* One character of chars_to_lines: its box, code point and position in the input (for a stable sort). */
typedef struct {
    double x0, top, x1, bottom;
    Py_UCS4 code;
    Py_ssize_t order;
} glyph;

static int compare_vertical(const void *a, const void *b) {
    const glyph *p = a, *q = b;
    double kp = p->top + p->bottom, kq = q->top + q->bottom;
    if (kp < kq) return -1;
    if (kp > kq) return 1;
    return (p->order > q->order) - (p->order < q->order);
}

/* Python's tuple order on (x0, top, x1, bottom, text), then input order (list.sort is stable). */
static int compare_tuple(const void *a, const void *b) {
    const glyph *p = a, *q = b;
    if (p->x0 != q->x0) return p->x0 < q->x0 ? -1 : 1;
    if (p->top != q->top) return p->top < q->top ? -1 : 1;
    if (p->x1 != q->x1) return p->x1 < q->x1 ? -1 : 1;
    if (p->bottom != q->bottom) return p->bottom < q->bottom ? -1 : 1;
    if (p->code != q->code) return p->code < q->code ? -1 : 1;
    return (p->order > q->order) - (p->order < q->order);
}

static double glyph_middle(const glyph *g) { return (g->top + g->bottom) / 2; }

/* How far from the first glyph's middle a glyph's may be on the same line: a third of its
   height, at least 1 pt (pdf_glyphs.py `_chars_to_lines_python`). */
static double line_tolerance(const glyph *g) {
    double tolerance = 0.35 * (g->bottom - g->top);
    return tolerance > 1.0 ? tolerance : 1.0;
}

static int compare_double(const void *a, const void *b) {
    double p = *(const double *)a, q = *(const double *)b;
    return (p > q) - (p < q);
}

typedef struct {
    double fake_bold_shift, narrowest_gap, space_gap_em, column_gap_em;
    Py_UCS4 *separator;
    Py_ssize_t separator_length;
    /* Scratch space, sized for the whole page. */
    Py_UCS4 *text, *codes;
    double *heights, *gaps;
    Py_ssize_t *gap_at;
} line_rules;

/* Append (text, x0, top, x1, bottom, em) for one line's glyphs, as pdf_glyphs.py `chars_to_line`. */
static int append_line(PyObject *lines, glyph *group, Py_ssize_t n, line_rules *rules) {
    qsort(group, (size_t)n, sizeof(glyph), compare_tuple);
    const glyph *first = &group[0];
    double prev_x0 = first->x0, prev_x1 = first->x1, top = first->top, right = first->x1,
           bottom = first->bottom;
    Py_UCS4 prev_code = first->code;
    Py_ssize_t n_kept = 1, n_gaps = 0;
    Py_UCS4 *codes = rules->codes;
    codes[0] = first->code;
    rules->heights[0] = first->bottom - first->top;
    for (Py_ssize_t i = 1; i < n; i++) {
        const glyph *g = &group[i];
        double width = prev_x1 - prev_x0;
        if (0.1 > width) width = 0.1;
        if (g->code == prev_code && g->x0 - prev_x0 < rules->fake_bold_shift * width) {
            continue; /* fake bold: the same glyph overprinted a fraction of its width away */
        }
        prev_x0 = g->x0;
        prev_x1 = g->x1;
        prev_code = g->code;
        double gap = g->x0 - right;
        if (gap > rules->narrowest_gap) {
            rules->gap_at[n_gaps] = n_kept;
            rules->gaps[n_gaps++] = gap;
        }
        codes[n_kept] = g->code;
        rules->heights[n_kept++] = g->bottom - g->top;
        if (g->top < top) top = g->top;
        if (g->bottom > bottom) bottom = g->bottom;
        if (g->x1 > right) right = g->x1;
    }
    qsort(rules->heights, (size_t)n_kept, sizeof(double), compare_double);
    double em = rules->heights[n_kept / 2];
    if (1.0 > em) em = 1.0;
    double column_gap = rules->column_gap_em * em, space_gap = rules->space_gap_em * em;
    /* Write the line into rules->text, a separator before each glyph that follows a wide gap. */
    Py_UCS4 *out = rules->text;
    Py_ssize_t length = 0, next_gap = 0;
    for (Py_ssize_t k = 0; k < n_kept; k++) {
        if (next_gap < n_gaps && rules->gap_at[next_gap] == k) {
            double gap = rules->gaps[next_gap++];
            if (gap > space_gap) {
                if (gap > column_gap) {
                    for (Py_ssize_t s = 0; s < rules->separator_length; s++) out[length++] = rules->separator[s];
                } else {
                    out[length++] = ' ';
                }
            }
        }
        out[length++] = codes[k];
    }
    PyObject *joined = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, length);
    if (joined == NULL) return -1;
    PyObject *text = PyObject_CallMethod(joined, "strip", NULL);
    Py_DECREF(joined);
    if (text == NULL) return -1;
    if (PyUnicode_GET_LENGTH(text) == 0) {
        Py_DECREF(text);
        return 0;
    }
    PyObject *item = Py_BuildValue("(Nddddd)", text, first->x0, top, right, bottom, em);
    if (item == NULL) return -1;
    int failed = PyList_Append(lines, item);
    Py_DECREF(item);
    return failed;
}

/* chars_to_lines(chars, fake_bold_shift, narrowest_gap, space_gap_em, column_gap_em, separator)
 *   -> [(text, x0, top, x1, bottom, em)]
 *
 * The rules are those of pdf_glyphs.py `_chars_to_lines_python` and `chars_to_line`, which document them. */
static PyObject *chars_to_lines(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *chars, *separator;
    line_rules rules;
    if (!PyArg_ParseTuple(args, "O!ddddU", &PyList_Type, &chars, &rules.fake_bold_shift, &rules.narrowest_gap,
                          &rules.space_gap_em, &rules.column_gap_em, &separator)) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(chars);
    PyObject *lines = PyList_New(0);
    if (lines == NULL || n == 0) return lines;
    rules.separator_length = PyUnicode_GET_LENGTH(separator);
    rules.separator = PyUnicode_AsUCS4Copy(separator);
    glyph *glyphs = PyMem_Malloc(sizeof(glyph) * (size_t)n);
    /* The line text: each glyph with a separator before it, at most. */
    rules.text = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)n * (size_t)(rules.separator_length + 1));
    rules.codes = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)n);
    rules.heights = PyMem_Malloc(sizeof(double) * (size_t)n);
    rules.gaps = PyMem_Malloc(sizeof(double) * (size_t)n);
    rules.gap_at = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)n);
    if (rules.separator == NULL || glyphs == NULL || rules.text == NULL || rules.codes == NULL || rules.heights == NULL ||
        rules.gaps == NULL || rules.gap_at == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(chars, i);
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 5) {
            PyErr_SetString(PyExc_TypeError, "chars_to_lines: each char must be (x0, top, x1, bottom, text)");
            goto error;
        }
        PyObject *text = PyTuple_GET_ITEM(item, 4);
        if (!PyUnicode_Check(text) || PyUnicode_GET_LENGTH(text) != 1) {
            PyErr_SetString(PyExc_TypeError, "chars_to_lines: each char's text must be one character");
            goto error;
        }
        glyph *g = &glyphs[i];
        g->x0 = PyFloat_AsDouble(PyTuple_GET_ITEM(item, 0));
        g->top = PyFloat_AsDouble(PyTuple_GET_ITEM(item, 1));
        g->x1 = PyFloat_AsDouble(PyTuple_GET_ITEM(item, 2));
        g->bottom = PyFloat_AsDouble(PyTuple_GET_ITEM(item, 3));
        if (PyErr_Occurred()) goto error;
        g->code = PyUnicode_READ_CHAR(text, 0);
        g->order = i;
    }
    qsort(glyphs, (size_t)n, sizeof(glyph), compare_vertical);
    /* A char belongs to the line when its centre is within a third of the line's height. */
    Py_ssize_t start = 0;
    double centre = glyph_middle(&glyphs[0]), tolerance = line_tolerance(&glyphs[0]);
    for (Py_ssize_t i = 1; i <= n; i++) {
        if (i < n && glyph_middle(&glyphs[i]) - centre <= tolerance) continue;
        /* Renumber the line's glyphs so ties sort as the line's list order would. */
        for (Py_ssize_t k = start; k < i; k++) glyphs[k].order = k - start;
        if (append_line(lines, glyphs + start, i - start, &rules) < 0) goto error;
        if (i < n) {
            start = i;
            centre = glyph_middle(&glyphs[i]);
            tolerance = line_tolerance(&glyphs[i]);
        }
    }
    goto done;
error:
    Py_CLEAR(lines);
done:
    PyMem_Free(glyphs);
    PyMem_Free(rules.separator);
    PyMem_Free(rules.text);
    PyMem_Free(rules.codes);
    PyMem_Free(rules.heights);
    PyMem_Free(rules.gaps);
    PyMem_Free(rules.gap_at);
    return lines;
}

static PyMethodDef methods[] = {
    {"page_chars", page_chars, METH_VARARGS,
     "page_chars(textpage, count_chars, get_text, get_unicode, loose_box, char_angle, page_height) -> "
     "(chars, bad, has_paren, latin1, turned, angles): a page's visible characters with loose boxes "
     "(top-left origin), those drawn at an angle apart with their angles."},
    {"page_paths", page_paths, METH_VARARGS,
     "page_paths(page, count_objects, get_object, object_type, object_bounds) -> "
     "([(index, left, bottom, right, top)], images, paths): the page's path objects' bounds."},
    {"chars_to_lines", chars_to_lines, METH_VARARGS,
     "chars_to_lines(chars, fake_bold_shift, narrowest_gap, space_gap_em, column_gap_em, separator) -> "
     "[(text, x0, top, x1, bottom, em)]: characters grouped into physical lines."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_pdfchars", "The PDF reader's per-character loop in C.", -1, methods,
};

PyMODINIT_FUNC PyInit__pdfchars(void) { return PyModule_Create(&module); }
