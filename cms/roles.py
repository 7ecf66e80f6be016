"""What each role may do, kept in one place and synced to Django groups after migrate.

Model permissions are listed as ``app_label.codename``; page permissions are granted on
every page of the listed page types (the course tree is national, so one grant covers
the whole catalogue).
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.utils import translation
from django.utils.translation import gettext

from cms.models import Role

ADMIN_ACCESS = "wagtailadmin.access_admin"

MEDIA_APPS = ("wagtailimages", "wagtaildocs")
MEDIA_AUTHORING = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]

# A family's data, the sessions and cohorts and their attendance are changed, never
# deleted, in the admin (only erasure removes a family's data; a session is cancelled).
KEPT_MODELS = (
    "fosterfamily",
    "placement",
    "courseplan",
    "cohort",
    "session",
    "premeeting",
    "modulesession",
    "themesupervision",
    "groupsupervision",
    "individualsupervision",
    "attendance",
)
# A goal written by mistake (of the family or of the child's plan), a quarter of a cohort
# re-planned, may go.
CASEWORK_MODELS = ("developmentgoal", "childplangoal", "quarter")
CATALOGUE_SNIPPETS = [
    f"courses.{action}_{model}"
    for model in ("modulekind", "familytype", "theme")
    for action in ("add", "change", "view")
]
# What a municipality's coordinator sees of the national lists (never changes).
CATALOGUE_VIEWING = [f"courses.view_{model}" for model in ("modulekind", "familytype", "theme")]

FAMILY_CASEWORK = [
    *(
        f"supervision.{action}_{model}"
        for model in CASEWORK_MODELS
        for action in ("add", "change", "view", "delete")
    ),
    *(
        f"supervision.{action}_{model}"
        for model in KEPT_MODELS
        for action in ("add", "change", "view")
    ),
    # Courses are opened by registering a placement; staff re-date them, never add them.
    "supervision.change_startupcourse",
    "supervision.view_startupcourse",
]

EXERCISE_AUTHORING = [
    f"logbook.{action}_{model}"
    for model in (
        "reflectionexercise",
        "scaleexercise",
        "observationexercise",
        "goalfollowupexercise",
        "checklistexercise",
    )
    for action in ("add", "change", "view", "delete")
]

ROLE_PERMISSIONS = {
    Role.FOSTER_PARENT: [],
    Role.TRAINER: [
        ADMIN_ACCESS,
        *MEDIA_AUTHORING,
        *EXERCISE_AUTHORING,
        "courses.view_modulekind",
        "courses.view_theme",
    ],
    Role.SUPERVISOR: [
        ADMIN_ACCESS,
        *FAMILY_CASEWORK,
        "logbook.view_logbookentry",
        "logbook.add_exerciseopening",
    ],
    # National content (modules, lessons, exercises, the lists, media) is written by
    # trainers and approved by national editors; no municipality's staff changes it.
    Role.COORDINATOR: [
        ADMIN_ACCESS,
        *FAMILY_CASEWORK,
        "logbook.view_logbookentry",
        "logbook.add_exerciseopening",
        "cms.view_accesslog",
        "supervision.erase_fosterfamily",
        "cms.change_municipality",
        "cms.view_municipality",
        "supervision.add_coursepolicy",
        "supervision.change_coursepolicy",
        "supervision.view_coursepolicy",
        *CATALOGUE_VIEWING,
    ],
    Role.EDITOR: [ADMIN_ACCESS, *MEDIA_AUTHORING, *EXERCISE_AUTHORING, *CATALOGUE_SNIPPETS],
}

# Page type label -> role -> page permission codenames on every page of that type.
# The catalogue is national: only national editors publish (and unpublish) it.
ROLE_PAGE_PERMISSIONS = {
    "courses.CourseIndexPage": {
        Role.TRAINER: ["add_page", "change_page"],
        Role.EDITOR: ["add_page", "change_page", "publish_page"],
    },
}

# Course content is published only after a national editor approves it; the moderation
# e-mails go to them alone. No municipality's staff approves national content.
COURSE_APPROVERS = [Role.EDITOR]
COURSE_WORKFLOW_PAGE_TYPE = "courses.CourseIndexPage"


def group_label(group):
    """What staff see for a group: a role's label in their language, not its stored name.

    The role groups keep their English names (``Role`` values, which the code looks up),
    but Wagtail shows groups by ``str()`` on its user, group and workflow screens.
    """
    try:
        return str(Role(group.name).label)
    except ValueError:
        return group.name


def _permissions(names):
    wanted = {tuple(name.split(".", 1)) for name in names}
    found = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in wanted},
        codename__in={codename for _, codename in wanted},
    ).select_related("content_type")
    permissions = [p for p in found if (p.content_type.app_label, p.codename) in wanted]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in permissions}
    if missing:
        raise LookupError(f"Unknown permissions in ROLE_PERMISSIONS: {sorted(missing)}")
    return permissions


def sync_role_groups():
    """Create the role groups and give each exactly its listed permissions."""
    from wagtail.models import GroupPagePermission

    groups = {}
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set(_permissions(names))
        groups[role] = group

    for page_type, grants in ROLE_PAGE_PERMISSIONS.items():
        pages = apps.get_model(page_type).objects.all()
        for role, group in groups.items():
            granted = _permissions(f"wagtailcore.{c}" for c in grants.get(role, []))
            GroupPagePermission.objects.filter(group=group, page__in=pages).exclude(
                permission__in=granted
            ).delete()  # a grant taken from the role goes on existing sites too
            for permission in granted:
                for page in pages:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=page, permission=permission
                    )
    sync_media_permissions(groups)
    sync_course_workflow(groups)
    return groups


def sync_media_permissions(groups):
    """Wagtail checks image and document permissions per collection: grant each group's
    media permissions on the root collection, which covers every collection."""
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for group in groups.values():
        media = group.permissions.filter(content_type__app_label__in=MEDIA_APPS)
        GroupCollectionPermission.objects.filter(group=group, collection=root).exclude(
            permission__in=media
        ).delete()  # a grant taken from the role goes on existing sites too
        for permission in media:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


def sync_course_workflow(groups):
    """Put every course catalogue (and so its modules and lessons) under moderation.

    A catalogue that already has a workflow keeps it: an administrator may have chosen
    another one in the admin. But no approval task, ours or theirs, has a municipal role
    among its approvers: every page here is national content.
    """
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    municipal = [groups[role] for role in (Role.SUPERVISOR, Role.COORDINATOR)]
    GroupApprovalTask.groups.through.objects.filter(group__in=municipal).delete()
    catalogues = apps.get_model(COURSE_WORKFLOW_PAGE_TYPE).objects.exclude(
        pk__in=WorkflowPage.objects.values("page_id")
    )
    if not catalogues.exists():
        return
    with translation.override(settings.LANGUAGE_CODE):
        workflow_name = gettext("Course content moderation")
        task_name = gettext("Approval by an editor")
    workflow, created = Workflow.objects.get_or_create(name=workflow_name)
    if created:
        task = GroupApprovalTask.objects.create(name=task_name)
        task.groups.set([groups[role] for role in COURSE_APPROVERS])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for page in catalogues:
        WorkflowPage.objects.create(page=page, workflow=workflow)


def sync_after_migrate(sender, app_config=None, using="default", **kwargs):
    """Run once, after the last app's post_migrate, when every permission exists."""
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.label != with_models[-1].label:
        return
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    sync_role_groups()
