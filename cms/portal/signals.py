"""Forget the national links and municipality names that the menu and footer keep in the
shared cache (``templatetags.opstart_nav``) when the rows behind them change."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.cache import forget
from cms.models import FooterSettings, Municipality

from .templatetags.opstart_nav import MUNICIPALITY_NAMES_KEY, SITE_LINKS_KEY


def forget_site_links(**kwargs):
    forget(SITE_LINKS_KEY)


def forget_municipality_names(**kwargs):
    forget(MUNICIPALITY_NAMES_KEY)


def connect():
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_site_links, dispatch_uid=f"portal.forget_links.{id(signal)}")
    post_delete.connect(forget_site_links, sender=Page, dispatch_uid="portal.forget_links_delete")
    post_save.connect(
        forget_site_links, sender=FooterSettings, dispatch_uid="portal.forget_links_footer"
    )
    for signal in (post_save, post_delete):
        signal.connect(forget_site_links, sender=Site, dispatch_uid=f"portal.links.{id(signal)}")
        signal.connect(
            forget_municipality_names,
            sender=Municipality,
            dispatch_uid=f"portal.forget_municipality_names.{id(signal)}",
        )
