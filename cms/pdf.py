"""PDF documents (reports, course records, a family's data) rendered from HTML templates by
WeasyPrint, as tagged PDF/UA so screen readers can read them."""

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template_name, context, request=None):
    """Render ``template_name`` (which extends ``pdf/base.html``) to PDF bytes."""
    from weasyprint import HTML  # imported late: it loads Pango, which only PDFs need

    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request else None
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")


def pdf_response(template_name, context, request, filename):
    """An attachment response holding the rendered PDF."""
    response = HttpResponse(render_pdf(template_name, context, request), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
