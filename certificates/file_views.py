"""Public "verify a file" page: an employer uploads a certificate PDF or badge image.
The upload is held in memory only (never written to disk) and refused beyond
MAX_UPLOAD_BYTES; what the file is, and whether it is ours, is file_check's to say."""

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from accounts.ratelimits import request_limited

from .file_check import file_check
from .forms import FileCheckForm
from .upload_limits import MAX_UPLOAD_BYTES, size_words


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps an upload in memory up to MAX_UPLOAD_BYTES and skips anything larger (no temporary file)."""

    too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer, self.size = io.BytesIO(), 0

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > MAX_UPLOAD_BYTES:
            self.too_large = True
            self.buffer = io.BytesIO()
            raise SkipFile
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer, self.field_name, self.file_name, self.content_type, file_size, self.charset
        )


@csrf_exempt  # the handler must be set before the body is read; CSRF is checked right after
@require_http_methods(["GET", "POST"])
def verify_file(request):
    handler = MemoryOnlyUploadHandler(request)
    request.upload_handlers = [handler]
    return _verify_file(request, handler)


@csrf_protect
def _verify_file(request, handler):
    if request.method == "POST" and request_limited(request, "file-verify:ip"):
        # Checked before the upload is read: a flood of files costs us nothing but this answer.
        context = {"form": FileCheckForm(), "issuing_body": settings.ISSUING_BODY, "limited": True}
        response = render(request, "certificates/verify_file.html", context, status=429)
        response["Retry-After"] = "600"
        return response
    form = FileCheckForm(request.POST, request.FILES) if request.method == "POST" else FileCheckForm()
    result, status = None, 200
    if request.method == "POST":
        if handler.too_large:
            form = FileCheckForm(data={}, files={})
            form.is_valid()
            form.errors["file"] = form.error_class(
                [
                    gettext("This file is larger than %(size)s; certificates and badges are far smaller.")
                    % {"size": size_words(MAX_UPLOAD_BYTES)}
                ]
            )
            status = 413
        elif form.is_valid():
            result = file_check(data=form.cleaned_data["file"].read())
            status = {"genuine": 200, "unchecked": 503}.get(result.verdict, 422)
        else:
            status = 400
    context = {
        "form": form,
        "issuing_body": settings.ISSUING_BODY,
        "result": result,
        "status": result.certificate.status_on(timezone.localdate())
        if result and result.certificate
        else None,
    }
    return render(request, "certificates/verify_file.html", context, status=status)
