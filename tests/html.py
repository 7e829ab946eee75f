"""Reading our own pages in tests: an ElementTree of the HTML, and small finders."""

from html.parser import HTMLParser
from xml.etree import ElementTree

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr"}
)


class _TreeBuilder(HTMLParser):
    """Enough of an HTML parser for our own templates: an ElementTree of the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = ElementTree.Element("document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = ElementTree.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        ElementTree.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def parse_html(response):
    builder = _TreeBuilder()
    builder.feed(response.content.decode())
    builder.close()
    return builder.root


def text_of(element):
    return " ".join("".join(element.itertext()).split())


def has_class(element, name):
    return name in element.get("class", "").split()


def by_id(root, element_id):
    found = root.findall(f".//*[@id='{element_id}']")
    assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
    return found[0]


def maybe_by_id(root, element_id):
    found = root.findall(f".//*[@id='{element_id}']")
    return found[0] if found else None


def with_class(root, name, tag="*"):
    return [element for element in root.iter(tag) if has_class(element, name)]
