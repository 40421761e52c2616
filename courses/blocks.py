"""Every StreamField block of the course pages, in one place, each with its template."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class MarkdownTextBlock(blocks.TextBlock):
    """Lesson prose in Markdown (paragraphs, lists, ### headings), rendered to HTML."""

    class Meta:
        icon = "doc-full"
        template = "blocks/text.html"
        description = _("Paragraphs, lists and ### subheadings in Markdown")
        preview_value = "A **service** is a way to provide value to customers."


class KeyTermBlock(blocks.StructBlock):
    term = blocks.CharBlock()
    glossary = blocks.CharBlock(required=False, help_text=_("Slug of the glossary entry"))
    explanation = blocks.TextBlock()

    class Meta:
        icon = "pick"
        template = "blocks/key_term.html"
        description = _("A FitSM term, explained and linked to the glossary")
        preview_value = {
            "term": "Configuration item",
            "glossary": "configuration-item",
            "explanation": "An element under control.",
        }


class RequirementBlock(blocks.StructBlock):
    id = blocks.CharBlock(label=_("Requirement id"))
    text = blocks.TextBlock(label=_("The requirement in our words"))


class RequirementListBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False)
    items = blocks.ListBlock(RequirementBlock())

    class Meta:
        icon = "list-ol"
        template = "blocks/requirement_list.html"
        description = _("FitSM requirements with their ids, explained")
        preview_value = {
            "title": "Requirements",
            "items": [{"id": "PR9.1", "text": "Incidents are handled consistently."}],
        }


class RoleRowBlock(blocks.StructBlock):
    role = blocks.CharBlock()
    responsibilities = blocks.TextBlock()
    how_many = blocks.CharBlock(required=False)


class RoleTableBlock(blocks.StructBlock):
    rows = blocks.ListBlock(RoleRowBlock())

    class Meta:
        icon = "group"
        template = "blocks/role_table.html"
        description = _("Roles, their responsibilities and how many people hold them")
        preview_value = {
            "rows": [
                {
                    "role": "Process owner",
                    "responsibilities": "Accountable for the process.",
                    "how_many": "One per process",
                }
            ]
        }


class InterfaceBlock(blocks.StructBlock):
    process = blocks.CharBlock()
    what = blocks.TextBlock()


class ProcessInterfacesBlock(blocks.StructBlock):
    process = blocks.CharBlock()
    incoming = blocks.ListBlock(InterfaceBlock(), required=False)
    outgoing = blocks.ListBlock(InterfaceBlock(), required=False)

    class Meta:
        icon = "resubmit"
        template = "blocks/process_interfaces.html"
        description = _("What a process receives from and hands to other processes")
        preview_value = {
            "process": "ISRM",
            "incoming": [{"process": "CONFM", "what": "CI information"}],
            "outgoing": [],
        }


class InputsOutputsBlock(blocks.StructBlock):
    inputs = blocks.ListBlock(blocks.CharBlock(), required=False)
    outputs = blocks.ListBlock(blocks.CharBlock(), required=False)

    class Meta:
        icon = "arrows-up-down"
        template = "blocks/inputs_outputs.html"
        description = _("Inputs and outputs of a process")
        preview_value = {"inputs": ["Incident reports"], "outputs": ["Resolved incidents"]}


class ExampleBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    setting = blocks.CharBlock(required=False)
    text = blocks.TextBlock(help_text=_("Markdown"))

    class Meta:
        icon = "openquote"
        template = "blocks/example.html"
        description = _("A worked example or case, e.g. from a federated infrastructure")
        preview_value = {"title": "A federated incident", "setting": "EGI", "text": "A site reports…"}


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Info")), ("tip", _("Tip")), ("warning", _("Warning"))], default="info"
    )
    title = blocks.CharBlock(required=False)
    text = blocks.TextBlock(help_text=_("Markdown"))

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"
        description = _("A highlighted note, tip or warning")
        preview_value = {"kind": "tip", "title": "Remember", "text": "Keep it simple."}


ALT_HELP = _(
    "Required. Say what the diagram shows for someone who cannot see it: the boxes, their order "
    "and what joins them, not just its title."
)


class FigureBlock(blocks.StructBlock):
    """A diagram drawn as inline SVG (process maps, layered models). The text alternative is
    required: the page offers it to screen readers in place of the drawing."""

    svg = blocks.TextBlock(help_text=_("Inline SVG markup"))
    alt = blocks.CharBlock(label=_("Text alternative"), help_text=ALT_HELP)
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "blocks/figure.html"
        description = _("A diagram with a text alternative")
        preview_value = {
            "svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40"><rect width="100" height="40"/></svg>',
            "alt": "A single dark box",
            "caption": "A diagram",
        }


class ImageFigureBlock(blocks.StructBlock):
    """An uploaded picture or diagram (from the image library). The text alternative belongs to this
    use of the image, not to the image, since the same picture can say different things in two
    lessons; it is required."""

    image = ImageChooserBlock()
    alt = blocks.CharBlock(label=_("Text alternative"), help_text=ALT_HELP)
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "blocks/image_figure.html"
        description = _("An uploaded picture or diagram with a text alternative")


class CheckOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock()
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock()


class CheckQuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock()
    options = blocks.ListBlock(CheckOptionBlock(), min_num=2, max_num=4)


class KnowledgeCheckBlock(blocks.StructBlock):
    questions = blocks.ListBlock(CheckQuestionBlock(), min_num=2, max_num=5)

    class Meta:
        icon = "help"
        template = "blocks/knowledge_check.html"
        description = _("2-5 questions with feedback on every option")


class LessonStreamBlock(blocks.StreamBlock):
    text = MarkdownTextBlock()
    key_term = KeyTermBlock()
    requirement_list = RequirementListBlock()
    role_table = RoleTableBlock()
    process_interfaces = ProcessInterfacesBlock()
    inputs_outputs = InputsOutputsBlock()
    example = ExampleBlock()
    callout = CalloutBlock()
    figure = FigureBlock()
    image = ImageFigureBlock()
    knowledge_check = KnowledgeCheckBlock()


class InfoStreamBlock(blocks.StreamBlock):
    """The blocks of a platform information page (privacy notice, handbook, …): text and callouts."""

    text = MarkdownTextBlock()
    callout = CalloutBlock()
