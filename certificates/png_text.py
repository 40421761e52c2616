"""Reading and writing iTXt text chunks of a PNG, as badge baking needs them
(Open Badges 2.0: keyword `openbadges`; Open Badges 3.0: `openbadgecredential`)."""

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_TEXT = 1_000_000  # a baked credential is a few kilobytes; refuse to inflate more


class NotAPNG(ValueError):
    pass


def png_chunks(data):
    """(type, payload) of every chunk, in order; NotAPNG on anything that is not a well-formed PNG."""
    if not data.startswith(SIGNATURE):
        raise NotAPNG("not a PNG file")
    offset, chunks = len(SIGNATURE), []
    while offset < len(data):
        if offset + 8 > len(data):
            raise NotAPNG("truncated chunk header")
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        end = offset + 12 + length
        if end > len(data):
            raise NotAPNG("truncated chunk")
        payload = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + payload) != crc:
            raise NotAPNG("bad chunk checksum")
        chunks.append((kind, payload))
        offset = end
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise NotAPNG("a PNG starts with IHDR and ends with IEND")
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
        text = inflater.decompress(text, MAX_TEXT)
        if inflater.unconsumed_tail:
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


def png_text_read(data, keyword):
    """The text of the iTXt (or tEXt) chunk `keyword`, or None when there is none."""
    for kind, payload in png_chunks(data):
        if kind == b"iTXt":
            name, text = _parse_itxt(payload)
            if name == keyword:
                return text
        elif kind == b"tEXt":
            name, _, text = payload.partition(b"\x00")
            if name.decode("latin-1") == keyword:
                return text.decode("latin-1")
    return None
