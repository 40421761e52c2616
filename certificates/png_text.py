"""Reading and writing iTXt text chunks of a PNG, as badge baking needs them
(Open Badges 2.0: keyword `openbadges`; Open Badges 3.0: `openbadgecredential`).

The reader is bounded, since it reads files anyone may upload: the whole file, the number
of chunks and the size of a text chunk (stored and inflated) are capped, and a chunk is
read once, so a check takes time proportional to the file, never more."""

import struct
import zlib

from .upload_limits import (
    MAX_PNG_BYTES,
    PNG_MAX_CHUNKS,
    PNG_MAX_TEXT_CHUNK_BYTES,
    PNG_MAX_TEXT_INFLATED,
    size_words,
)

SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_TEXT = PNG_MAX_TEXT_INFLATED  # a baked credential is a few kilobytes; refuse to inflate more
TEXT_CHUNKS = (b"tEXt", b"iTXt", b"zTXt")
MAX_CHUNK_LENGTH = 2**31 - 1  # PNG specification


class NotAPNG(ValueError):
    """The bytes are not a PNG this reader accepts; the message says why, for people."""


def png_chunks(data):
    """(type, payload) of every chunk, in order; NotAPNG on anything that is not a well-formed PNG
    within the caps of upload_limits."""
    if not data.startswith(SIGNATURE):
        raise NotAPNG("it is not a PNG file")
    if len(data) > MAX_PNG_BYTES:
        raise NotAPNG(f"it is larger than {size_words(MAX_PNG_BYTES)}")
    offset, chunks = len(SIGNATURE), []
    while offset < len(data):
        if len(chunks) >= PNG_MAX_CHUNKS:
            raise NotAPNG(f"it has more than {PNG_MAX_CHUNKS} chunks")
        if offset + 8 > len(data):
            raise NotAPNG("it is truncated (a chunk header is cut off)")
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if not kind.isalpha() or not kind.isascii():
            raise NotAPNG("a chunk has an invalid type")
        if length > MAX_CHUNK_LENGTH:
            raise NotAPNG("a chunk declares an impossible length")
        if kind in TEXT_CHUNKS and length > PNG_MAX_TEXT_CHUNK_BYTES:
            raise NotAPNG(f"a text chunk is larger than {size_words(PNG_MAX_TEXT_CHUNK_BYTES)}")
        end = offset + 12 + length
        if end > len(data):
            raise NotAPNG("it is truncated (a chunk is cut off)")
        payload = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + payload) != crc:
            raise NotAPNG("a chunk's checksum is wrong")
        chunks.append((kind, payload))
        offset = end
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise NotAPNG("it does not start with an IHDR chunk and end with an IEND chunk")
    return chunks


def _chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def _itxt(keyword, text):
    # keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, text
    return keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00" + text.encode()


def _parse_itxt(payload):
    keyword, _, rest = payload.partition(b"\x00")
    if len(rest) < 2:
        return None, None
    compressed, rest = rest[0], rest[2:]
    _language, _, rest = rest.partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(text, MAX_TEXT)
        except zlib.error:  # damaged compressed text: no text
            return keyword.decode("latin-1"), None
        if inflater.unconsumed_tail:  # it would inflate beyond MAX_TEXT
            return keyword.decode("latin-1"), None
    return keyword.decode("latin-1"), text.decode("utf-8", errors="replace")


def png_text_write(data, keyword, text):
    """The PNG with one iTXt chunk `keyword` = text (replacing any earlier one), placed before IEND."""
    chunks = [
        (kind, payload)
        for kind, payload in png_chunks(data)
        if not (kind == b"iTXt" and _parse_itxt(payload)[0] == keyword)
    ]
    out = [SIGNATURE]
    for kind, payload in chunks:
        if kind == b"IEND":
            out.append(_chunk(b"iTXt", _itxt(keyword, text)))
        out.append(_chunk(kind, payload))
    return b"".join(out)


def chunk_text(kind, payload):
    """(keyword, text) of an iTXt or tEXt chunk; text is None when it cannot be read.
    (None, None) for any other chunk."""
    if kind == b"iTXt":
        return _parse_itxt(payload)
    if kind == b"tEXt":
        name, _, text = payload.partition(b"\x00")
        return name.decode("latin-1"), text.decode("latin-1")
    return None, None


def png_text_read(data, keyword):
    """The text of the iTXt (or tEXt) chunk `keyword`, or None when there is none."""
    for kind, payload in png_chunks(data):
        name, text = chunk_text(kind, payload)
        if name == keyword:
            return text
    return None
