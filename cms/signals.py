"""Forget cached sites, national links and names, and parents' dashboards (``cms.dashboard``),
when the rows behind them change."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import dashboard
from .cache import forget
from .middleware import SITES_KEY
from .models import FooterSettings, Municipality
from .templatetags.opstart_nav import MUNICIPALITY_NAMES_KEY, SITE_LINKS_KEY


def forget_site_links(**kwargs):
    forget(SITE_LINKS_KEY)


def forget_sites(**kwargs):
    """Sites (with their root pages) and the addresses of pages under them."""
    forget(SITES_KEY, SITE_LINKS_KEY)


def forget_municipality_names(**kwargs):
    forget(MUNICIPALITY_NAMES_KEY)


def connect():
    dashboard.connect()
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_sites, dispatch_uid=f"cms.forget_site_links.{id(signal)}")
    post_delete.connect(forget_sites, sender=Page, dispatch_uid="cms.forget_links_delete")
    post_save.connect(
        forget_site_links, sender=FooterSettings, dispatch_uid="cms.forget_links_footer"
    )
    for signal in (post_save, post_delete):
        signal.connect(forget_sites, sender=Site, dispatch_uid=f"cms.forget_sites.{id(signal)}")
        signal.connect(
            forget_municipality_names,
            sender=Municipality,
            dispatch_uid=f"cms.forget_municipality_names.{id(signal)}",
        )
