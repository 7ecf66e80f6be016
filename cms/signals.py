"""Forget the cached sites (``cms.middleware``) when a site or a page under one changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import forget
from .middleware import SITES_KEY


def forget_sites(**kwargs):
    """Sites carry their root pages."""
    forget(SITES_KEY)


def connect():
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_sites, dispatch_uid=f"cms.forget_sites.{id(signal)}")
    post_delete.connect(forget_sites, sender=Page, dispatch_uid="cms.forget_sites_delete")
    for signal in (post_save, post_delete):
        signal.connect(forget_sites, sender=Site, dispatch_uid=f"cms.forget_sites.{id(signal)}")
