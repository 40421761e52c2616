"""How much of an uploaded file /verify/file/ is willing to read, in one place.

Anyone may upload without an account, so every reader has a size cap and a structural
budget (elements, depth, chunks, lengths) that keeps one check to a fraction of a second.
What we issue is far below each cap: a certificate PDF is under 200 KB, a badge PNG under
50 KB, a badge SVG a few KB, a baked Open Badges 2.0 assertion about 1 KB, a secured 3.0
credential under 10 KB. Measured worst cases at the caps stay under a second."""

KB = 1024
MB = 1024 * KB

# Per type of file.
MAX_PDF_BYTES = 2 * MB
MAX_PNG_BYTES = 5 * MB
MAX_SVG_BYTES = 1 * MB
# The upload handler stops reading beyond the largest of them.
MAX_UPLOAD_BYTES = max(MAX_PDF_BYTES, MAX_PNG_BYTES, MAX_SVG_BYTES)

# PNG: chunks are read one by one (certificates/png_text.py).
PNG_MAX_CHUNKS = 512
PNG_MAX_TEXT_CHUNK_BYTES = 256 * KB  # one tEXt/iTXt/zTXt chunk, as stored
PNG_MAX_TEXT_INFLATED = 256 * KB  # a compressed iTXt chunk, once inflated

# SVG: parsed with defusedxml (no DTD, no entities), counted while it is parsed.
SVG_MAX_ELEMENTS = 2_000
SVG_MAX_DEPTH = 32
SVG_MAX_ATTRIBUTES = 64  # on one element

# What a badge carries: an Open Badges 2.0 assertion (JSON), a 3.0 credential (JWS or JSON).
BADGE_MAX_TEXT = 64 * KB

# PDF: pypdf's own limits, tightened for a one-page certificate (see file_check.PDF_LIMITS).
# Only the metadata is read, never the page text (fonts and content streams cost too much).
PDF_MAX_OBJECTS = 20_000  # entries of a cross-reference stream
PDF_MAX_DECODED_STREAM = 10 * MB
PDF_MAX_COLLECTION_ENTRIES = 10_000  # elements of one array or dictionary
PDF_MAX_PAGE_TREE_ENTRIES = 1_000


def size_words(limit):
    """A cap for people: "10 MB", "256 KB"."""
    return f"{limit // MB} MB" if limit >= MB else f"{limit // KB} KB"
