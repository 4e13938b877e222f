from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from qingfeng.core.models import Attachment
from qingfeng.org import access


@require_GET
@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Served only to users who may see the owning record (else 404), always as a download."""
    attachment = get_object_or_404(Attachment.objects.select_related("owner_type"), pk=pk)
    owner_model = attachment.owner_type.model_class()
    if owner_model is None:
        raise Http404
    owner = access.get_object_for_user(request.user, owner_model, attachment.owner_id)
    # Files on organisation records (a person's papers) are for those who manage the organisation only.
    if access.is_org_model(owner_model) and not access.can(
        request.user, access.write_perm(owner_model) or "", access.unit_of(owner)
    ):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
