import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from cms.models import HomePage
from cms.roles import sync_role_groups
from courses.models import CourseIndexPage, LessonPage, ModulePage
from tests.factories import ModuleKindFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _outbox(settings):
    """E-mail goes through the outbox as in production (Django's test runner sets locmem):
    written to the database, then sent by the (immediate) task into ``mail.outbox``."""
    settings.EMAIL_BACKEND = "cms.operations.mail.OutboxBackend"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached national links (``cms.templatetags.opstart_nav``) must not outlive a test."""
    cache.clear()


@pytest.fixture
def home_page(db):
    """A HomePage as the default site's root, as seed_demo leaves it."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Opstart", slug="opstart-test"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "root_page": home, "port": 80}
    )
    return home


@pytest.fixture
def catalogue(home_page):
    catalogue = home_page.add_child(instance=CourseIndexPage(title="Moduler", slug="moduler"))
    sync_role_groups()  # what the after_create_page hook does in the admin
    return catalogue


@pytest.fixture
def make_module(catalogue):
    """Build a published module with ``lessons`` lessons."""

    def make(number=1, title=None, lessons=1, kind=None, **fields):
        module = catalogue.add_child(
            instance=ModulePage(
                title=title or f"Modul {number}",
                slug=f"modul-{number}",
                number=number,
                kind=kind or ModuleKindFactory(),
                summary=f"Resumé af modul {number}",
                **fields,
            )
        )
        for index in range(1, lessons + 1):
            module.add_child(
                instance=LessonPage(
                    title=f"Lektion {number}.{index}",
                    slug=f"lektion-{index}",
                    body=[("text", f"<p>Tekst {index}</p>")],
                )
            )
        return module

    return make


@pytest.fixture(scope="session")
def openid_provider(tmp_path_factory):
    """A real OpenID provider in a second process (tests/oidc), one for the whole run."""
    from tests.oidc.server import OpenIDProvider

    provider = OpenIDProvider(tmp_path_factory.mktemp("openid-provider")).start()
    yield provider
    provider.stop()
