from django import forms

from .upload_limits import MAX_PDF_BYTES, MAX_PNG_BYTES, MAX_SVG_BYTES, size_words


class RegisterSearchForm(forms.Form):
    code = forms.CharField(label="Certificate number", max_length=32)
    family_name = forms.CharField(label="Family name of the holder", max_length=150)


class FileCheckForm(forms.Form):
    """The upload of /verify/file/. Its size is capped by the upload handler (the view) and
    per type of file by file_check; the label tells the person the caps beforehand."""

    file = forms.FileField(
        label=(
            f"Certificate PDF (at most {size_words(MAX_PDF_BYTES)}) or badge image: "
            f"PNG (at most {size_words(MAX_PNG_BYTES)}) or SVG (at most {size_words(MAX_SVG_BYTES)})"
        ),
        error_messages={"required": "Choose a file to check.", "empty": "The chosen file is empty."},
    )


class HolderDidForm(forms.Form):
    did = forms.CharField(
        label="Your DID (optional)",
        max_length=300,
        required=False,
        help_text="If your wallet gave you a DID (it starts with did:), your Open Badges 3.0 credentials "
        "will name it as their subject. Leave empty to be named only by your e-mail address, hashed.",
    )
