from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .upload_limits import MAX_PDF_BYTES, MAX_PNG_BYTES, MAX_SVG_BYTES, size_words


class RegisterSearchForm(forms.Form):
    code = forms.CharField(label=_("Certificate number"), max_length=32)
    family_name = forms.CharField(label=_("Family name of the holder"), max_length=150)


class FileCheckForm(forms.Form):
    """The upload of /verify/file/. Its size is capped by the upload handler (the view) and
    per type of file by file_check; the label tells the person the caps beforehand."""

    file = forms.FileField(
        error_messages={"required": _("Choose a file to check."), "empty": _("The chosen file is empty.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, so it is in the language of the request.
        self.fields["file"].label = gettext(
            "Certificate PDF (at most %(pdf)s) or badge image: PNG (at most %(png)s) or SVG (at most %(svg)s)"
        ) % {
            "pdf": size_words(MAX_PDF_BYTES),
            "png": size_words(MAX_PNG_BYTES),
            "svg": size_words(MAX_SVG_BYTES),
        }


class HolderDidForm(forms.Form):
    did = forms.CharField(
        label=_("Your DID (optional)"),
        max_length=300,
        required=False,
        help_text=_(
            "If your wallet gave you a DID (it starts with did:), your Open Badges 3.0 credentials "
            "will name it as their subject. Leave empty to be named only by your e-mail address, hashed."
        ),
    )
