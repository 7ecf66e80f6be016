"""The Wagtail site of a request comes from the shared cache, and a changed site at once."""

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.middleware import SiteMiddleware


def site_of(request):
    return SiteMiddleware(lambda request: request._wagtail_site)(request)


def test_the_site_is_looked_up_once_then_kept(home_page):
    request = RequestFactory().get("/")
    assert site_of(request).root_page_id == home_page.pk
    with CaptureQueriesContext(connection) as queries:
        assert site_of(RequestFactory().get("/")).root_page_id == home_page.pk
    assert len(queries) == 0


def test_a_page_served_twice_looks_the_site_up_once(client, home_page):
    client.get(home_page.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(home_page.url).status_code == 200
    assert not [query for query in queries if "wagtailcore_site" in query["sql"]]


def test_a_changed_or_new_site_is_used_at_once(home_page, settings):
    settings.ALLOWED_HOSTS = ["testserver", "anden.example.dk"]
    assert site_of(RequestFactory().get("/")).site_name == ""
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Opstart"
    site.save()
    assert site_of(RequestFactory().get("/")).site_name == "Opstart"
    other = home_page.add_child(instance=type(home_page)(title="Anden", slug="anden"))
    Site.objects.create(hostname="anden.example.dk", root_page=other)
    request = RequestFactory().get("/", HTTP_HOST="anden.example.dk")
    assert site_of(request).root_page_id == other.pk


def test_each_host_gets_its_own_site(home_page, settings):
    settings.ALLOWED_HOSTS = ["testserver", "anden.example.dk"]
    other = home_page.add_child(instance=type(home_page)(title="Anden", slug="anden"))
    Site.objects.create(hostname="anden.example.dk", root_page=other)
    assert site_of(RequestFactory().get("/")).root_page_id == home_page.pk
    request = RequestFactory().get("/", HTTP_HOST="anden.example.dk")
    assert site_of(request).root_page_id == other.pk
    assert site_of(RequestFactory().get("/")).root_page_id == home_page.pk


def test_a_host_outside_allowed_hosts_is_refused_and_not_kept(client, home_page):
    from django.core.cache import cache

    from cms.middleware import SITES_KEY

    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400
    assert client.get(home_page.url).status_code == 200
    assert [host for host, _port in cache.get(SITES_KEY)] == ["testserver"]
