"""Reading a baked SVG badge from an upload with a real, hardened XML parser.

defusedxml refuses a DOCTYPE, entity declarations and external references, so nothing
expands; the tree builder counts elements, depth and attributes while the file is parsed
and stops at the first cap of upload_limits. Each byte is read once by expat, so the time
is proportional to the (capped) size of the file, whatever its content."""

from dataclasses import dataclass
from xml.etree import ElementTree as ET  # noqa: S405 - only for the tree builder; parsing is defusedxml's

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from .upload_limits import MAX_SVG_BYTES, SVG_MAX_ATTRIBUTES, SVG_MAX_DEPTH, SVG_MAX_ELEMENTS, size_words

SVG_NS = "http://www.w3.org/2000/svg"
OB2_NS = "http://openbadges.org"  # Open Badges 2.0 baking: <openbadges:assertion verify="URL">JSON</…>
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"  # 3.0: <openbadges:credential verify="JWS">JSON</…>
BADGE_ELEMENTS = {f"{{{OB2_NS}}}assertion": 2, f"{{{OB3_NS}}}credential": 3}
FEED = 64 * 1024


class SvgRefused(ValueError):
    """The upload is not an SVG badge this reader accepts; the message says why, for people."""


class _BoundedTreeBuilder(ET.TreeBuilder):
    """Builds the tree, keeping comments and processing instructions (they are part of what the
    image is), and refuses it as soon as it grows beyond the caps."""

    def __init__(self):
        super().__init__(insert_comments=True, insert_pis=True)
        self.count = 0
        self.depth = 0

    def _counted(self):
        self.count += 1
        if self.count > SVG_MAX_ELEMENTS:
            raise SvgRefused(f"it has more than {SVG_MAX_ELEMENTS} elements")

    def start(self, tag, attrs):
        self._counted()
        self.depth += 1
        if self.depth > SVG_MAX_DEPTH:
            raise SvgRefused(f"it nests elements more than {SVG_MAX_DEPTH} deep")
        if len(attrs) > SVG_MAX_ATTRIBUTES:
            raise SvgRefused(f"an element has more than {SVG_MAX_ATTRIBUTES} attributes")
        return super().start(tag, attrs)

    def end(self, tag):
        self.depth -= 1
        return super().end(tag)

    def comment(self, text):
        self._counted()
        return super().comment(text)

    def pi(self, target, text=None):
        self._counted()
        return super().pi(target, text)


def svg_parse(data):
    """The root element of an SVG document (bytes); SvgRefused naming what is wrong."""
    if len(data) > MAX_SVG_BYTES:
        raise SvgRefused(f"it is larger than {size_words(MAX_SVG_BYTES)}")
    parser = DefusedXMLParser(
        target=_BoundedTreeBuilder(), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    try:
        for start in range(0, len(data), FEED):
            parser.feed(data[start : start + FEED])
        root = parser.close()
    except SvgRefused:
        raise
    except ET.ParseError as exc:
        line, column = exc.position
        raise SvgRefused(f"it is not well-formed XML (line {line}, column {column})") from None
    except DefusedXmlException:
        raise SvgRefused("it declares a DOCTYPE, entities or external references") from None
    except (LookupError, ValueError):  # an encoding expat does not know, and the like
        raise SvgRefused("it is not readable XML text") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgRefused("its root element is not an SVG <svg> element")
    return root


def _tag(element):
    if element.tag is ET.Comment:
        return "#comment"
    if element.tag is ET.ProcessingInstruction:
        return "#pi"
    return element.tag


def _picture(element, skip):
    """What an element draws, as comparable data: tag, attributes, text and children, with
    whitespace at the ends of text ignored and the element `skip` (the baked assertion) left out."""
    return (
        _tag(element),
        tuple(sorted(element.attrib.items())),
        (element.text or "").strip(),
        tuple((_picture(child, skip), (child.tail or "").strip()) for child in element if child is not skip),
    )


@dataclass(frozen=True)
class SvgBadge:
    version: int | None  # 2 (an assertion), 3 (a credential), or None when nothing is baked in
    verify: str | None  # the `verify` attribute: the assertion URL (2.0) or the compact JWS (3.0)
    text: str | None  # the JSON baked in as the element's text (CDATA), or None
    picture: tuple  # the image without the baked element, for comparison


def svg_badge_read(data):
    """The Open Badge baked into an SVG (bytes) and the picture around it; SvgRefused when the
    file cannot be read within the caps or carries more than one badge."""
    root = svg_parse(data)
    found = [element for element in root.iter() if element.tag in BADGE_ELEMENTS]
    if len(found) > 1:
        raise SvgRefused("it carries more than one badge")
    if not found:
        return SvgBadge(version=None, verify=None, text=None, picture=_picture(root, None))
    [element] = found
    if len(element):
        raise SvgRefused("its badge element holds elements instead of text")
    return SvgBadge(
        version=BADGE_ELEMENTS[element.tag],
        verify=element.get("verify"),
        text=(element.text or "").strip() or None,
        picture=_picture(root, element),
    )


def svg_picture(text):
    """The picture of an SVG we render ourselves (text), for comparison with an upload."""
    return _picture(svg_parse(text.encode()), None)
