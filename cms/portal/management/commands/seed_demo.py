"""Create the demo: municipalities, people of every role, the catalogue, families.

Idempotent: every row is looked up by a natural key first, so a second run changes
nothing (passwords are only set on users it creates).
"""

from datetime import datetime, time, timedelta
from io import BytesIO, StringIO

from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Page, Site

from cms.models import ContentPage, FooterSettings, HomePage, Municipality, User
from cms.portal import demo_content as demo
from cms.roles import sync_role_groups
from courses.models import CourseIndexPage, FamilyType, LessonPage, ModuleKind, ModulePage, Theme
from courses.services import complete_lesson
from logbook.models import (
    ChecklistExercise,
    Exercise,
    GoalFollowUpExercise,
    ObservationExercise,
    ReflectionExercise,
    ScaleExercise,
)
from logbook.services import save_entry, share_entry
from supervision.models import (
    ChildPlanGoal,
    Cohort,
    CoursePlan,
    CoursePolicy,
    DevelopmentGoal,
    FosterFamily,
    IndividualSupervision,
    ModuleSession,
    Placement,
    Session,
    StartupCourse,
)
from supervision.services import (
    end_placement,
    plan_cohort_year,
    record_attendance,
    register_family,
    register_placement,
    schedule_session,
)


def child_page(parent, page_class, slug, **fields):
    """The live child of ``parent`` with ``slug``, created and published if missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = page_class(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


class Command(BaseCommand):
    help = "Create demo municipalities, users, the module catalogue and families (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        home = self.seed_site()
        self.seed_catalogue(home)
        municipalities = self.seed_municipalities()
        self.seed_users(municipalities)
        self.seed_families(municipalities)
        self.seed_supervision(municipalities)
        self.seed_exercises()
        self.seed_logbook()
        sync_role_groups()
        # Page saves queue search-index updates as tasks; index now so that the demo is
        # searchable before any task worker has run.
        call_command("update_index", stdout=StringIO())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready. Log in with any demo e-mail and the password {demo.DEMO_PASSWORD}"
            )
        )

    def seed_site(self):
        root = Page.get_first_root_node()
        home = HomePage.objects.first()
        if home is None:
            home = HomePage(
                title="Opstart",
                slug="opstart",
                intro="Det tæt støttede opstartsforløb for plejefamilier.",
                body="<p>Her finder plejefamilier undervisning, logbog og datoer, og "
                "konsulenter planlægger forløb og supervision.</p>",
            )
            root.add_child(instance=home)
            home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        elif site.root_page_id != home.pk:
            old_root = site.root_page
            site.root_page = home
            site.save()
            if old_root.depth == 2 and not old_root.get_children().exists():
                old_root.delete()
        statement = child_page(
            home,
            ContentPage,
            "tilgaengelighedserklaering",
            title="Tilgængelighedserklæring",
            body=demo.ACCESSIBILITY_STATEMENT,
        )
        footer = FooterSettings.load()
        if footer.accessibility_statement_id is None:
            footer.accessibility_statement = statement
            footer.save()
        return home

    def seed_catalogue(self, home):
        kinds = {
            slug: ModuleKind.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in demo.MODULE_KINDS
        }
        family_types = {
            slug: FamilyType.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in demo.FAMILY_TYPES
        }
        catalogue = child_page(
            home,
            CourseIndexPage,
            "moduler",
            title="Moduler",
            body="<p>Generelle moduler og temamoduler i det tæt støttede opstartsforløb.</p>",
        )
        for number, title, kind, summary, lesson_title, text, suits in demo.MODULES:
            module = child_page(
                catalogue,
                ModulePage,
                f"modul-{number}",
                title=title,
                number=number,
                kind=kinds[kind],
                summary=summary,
            )
            if suits and not module.family_types.exists():
                module.family_types.set([family_types[slug] for slug in suits])
                module.save_revision().publish()
            child_page(
                module,
                LessonPage,
                slugify(lesson_title),
                title=lesson_title,
                body=[("text", f"<p>{text}</p>")],
            )
        number, slug, title, intro, body = demo.KNOWLEDGE_CHECK_LESSON
        module = catalogue.get_children().get(slug=f"modul-{number}")
        if not module.get_children().filter(slug=slug).exists():
            image_block = ("image", {"image": self.demo_image(), **demo.DEMO_IMAGE_TEXT})
            child_page(
                module, LessonPage, slug, title=title, intro=intro, body=[image_block, *body]
            )

    def demo_image(self):
        """A simple drawing made at seed time, so no binary file lives in the repository."""
        title = demo.DEMO_IMAGE_TEXT["alt_text"]
        image = Image.objects.filter(title=title).first()
        if image is not None:
            return image
        drawing = PILImage.new("RGB", (960, 540), "#dbe9f4")
        draw = ImageDraw.Draw(drawing)
        draw.rectangle((120, 380, 840, 420), fill="#8a5a2b")  # the table
        for x, height in ((260, 190), (480, 120), (700, 200)):  # two adults and a child
            draw.ellipse((x - 45, 380 - height - 90, x + 45, 380 - height), fill="#f2c9a0")
            draw.rectangle((x - 60, 380 - height, x + 60, 380), fill="#2b5f8a")
        buffer = BytesIO()
        drawing.save(buffer, "PNG")
        return Image.objects.create(
            title=title, file=ImageFile(buffer, name="demo-middagsbord.png")
        )

    def seed_municipalities(self):
        return {
            data["slug"]: Municipality.objects.get_or_create(slug=data["slug"], defaults=data)[0]
            for data in demo.MUNICIPALITIES
        }

    def seed_users(self, municipalities):
        if not User.objects.filter(email=demo.ADMIN_EMAIL).exists():
            User.objects.create_superuser(
                demo.ADMIN_EMAIL, demo.DEMO_PASSWORD, first_name="Admin", last_name="Opstart"
            )
        for email, first_name, last_name, role, municipality in demo.USERS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "municipality": municipalities.get(municipality),
                },
            )
            if created:
                user.set_password(demo.DEMO_PASSWORD)
                user.save(update_fields=["password"])
                user.groups.add(Group.objects.get_or_create(name=role)[0])

    def seed_invited_family(self, municipalities):
        """One family registered as staff do it, its parent's invitation pending."""
        invited = demo.INVITED_FAMILY
        municipality = municipalities[invited["municipality"]]
        if FosterFamily.objects.filter(municipality=municipality, name=invited["name"]).exists():
            return
        family = FosterFamily(
            municipality=municipality,
            name=invited["name"],
            family_type=FamilyType.objects.get(slug=invited["family_type"]),
            care_form=invited["care_form"],
        )
        register_family(
            family,
            [dict(parent) for parent in invited["parents"]],
            invited_by=User.objects.get(email=invited["invited_by"]),
        )

    def seed_families(self, municipalities):
        today = timezone.localdate()
        users = {user.email: user for user in User.objects.all()}
        families = {}
        for slug, name, family_type, care_form, parents, placements in demo.FAMILIES:
            family, created = FosterFamily.objects.get_or_create(
                municipality=municipalities[slug],
                name=name,
                defaults={
                    "family_type": FamilyType.objects.get(slug=family_type),
                    "care_form": care_form,
                },
            )
            if not family.parents.exists():
                # A ParentalManyToManyField is written on save, not on set().
                family.parents.set([users[email] for email in parents])
                family.save()
            if created:
                for child_name, birth_year, days_ago in placements:
                    register_placement(
                        Placement(
                            family=family,
                            child_name=child_name,
                            birth_year=birth_year,
                            start_date=today - timedelta(days=days_ago),
                        )
                    )
            families[name] = family
        self.seed_invited_family(municipalities)
        for slug, name, family_names, supervisors in demo.COHORTS:
            cohort, created = Cohort.objects.get_or_create(
                municipality=municipalities[slug], name=name, year=today.year
            )
            if not cohort.families.exists():
                cohort.families.set([families[f] for f in family_names])
                cohort.supervisors.set([users[email] for email in supervisors])
                cohort.save()

    def seed_supervision(self, municipalities):
        """Policies, courses, a course plan, goals, the cohort's year and coming sessions."""
        for slug, policy in demo.COURSE_POLICIES.items():
            CoursePolicy.objects.get_or_create(municipality=municipalities[slug], defaults=policy)
        for placement in Placement.objects.filter(startup_course__isnull=True):
            StartupCourse.open_for(placement)  # placements seeded before courses existed
        themes = {
            slug: Theme.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description}
            )[0]
            for slug, name, description in demo.THEMES
        }
        for number, slug in demo.MODULE_THEMES.items():
            module = ModulePage.objects.get(number=number)
            if module.theme_id is None:
                module.theme = themes[slug]
                module.save_revision().publish()
        families = {family.name: family for family in FosterFamily.objects.all()}
        self.seed_course_plan(families, themes)
        self.seed_child_plans(families)
        for family_name, text, days_ahead in demo.DEVELOPMENT_GOALS:
            DevelopmentGoal.objects.get_or_create(
                family=families[family_name],
                text=text,
                defaults={"review_date": timezone.localdate() + timedelta(days=days_ahead)},
            )
        vejle = municipalities["vejle"]
        if not Session.objects.filter(municipality=vejle).exists():
            self.seed_sessions(vejle, families, themes)

    def seed_child_plans(self, families):
        """The goals of the children's plans, and one placement that has ended."""
        today = timezone.localdate()
        for family_name, child, text, days_ahead in demo.CHILD_PLAN_GOALS:
            ChildPlanGoal.objects.get_or_create(
                placement=Placement.objects.get(family=families[family_name], child_name=child),
                text=text,
                defaults={"review_date": days_ahead and today + timedelta(days=days_ahead)},
            )
        family_name, child, days_ago, reason = demo.ENDED_PLACEMENT
        placement = Placement.objects.get(family=families[family_name], child_name=child)
        if not placement.has_ended:
            end_placement(placement, today - timedelta(days=days_ago), reason)

    def seed_exercises(self):
        kinds = {
            "reflection": ReflectionExercise,
            "observation": ObservationExercise,
            "scale": ScaleExercise,
            "checklist": ChecklistExercise,
            "goal_follow_up": GoalFollowUpExercise,
        }
        for order, (topic, kind, timing, title, instructions, fields) in enumerate(demo.EXERCISES):
            where = (
                {"module": ModulePage.objects.get(number=topic)}
                if isinstance(topic, int)
                else {"theme": Theme.objects.get(slug=topic)}
            )
            kinds[kind].objects.get_or_create(
                title=title,
                **where,
                defaults={
                    "timing": timing,
                    "instructions": instructions,
                    "sort_order": order,
                    **fields,
                },
            )

    def seed_logbook(self):
        """Module 1 held twice for the Hansens: attendance, a recurring after-exercise
        written for both sessions, and one parent's lessons read (done once)."""
        spec = demo.PAST_TRAINING
        family = FosterFamily.objects.get(name=spec["family"])
        if family.logbook_entries.exists():
            return
        module = ModulePage.objects.get(number=spec["module"])
        supervisor = User.objects.get(email="konsulent@vejle.example.dk")
        users = {user.email: user for user in family.parents.all()}
        today = timezone.localdate()
        sessions = []
        for days_ago, presence in spec["sessions"]:
            start = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(9)))
            session = ModuleSession(
                municipality=family.municipality,
                module=module,
                start=start,
                end=start + timedelta(hours=6),
                place=demo.COHORT_YEAR["place"],
            )
            schedule_session(session, [supervisor], [family])
            record_attendance(
                session, {users[email]: present for email, present in presence.items()}
            )
            sessions.append(session)
        for index, title, email, joint, answers, shared in demo.LOGBOOK_ENTRIES:
            entry = save_entry(
                exercise=Exercise.objects.get(title=title, module=module),
                family=family,
                session=sessions[index],
                writer=users[email],
                answers=answers,
                base_version=0,
                joint=joint,
            )
            if shared:
                share_entry(entry)
        for email, numbers in demo.LESSONS_READ.items():
            for number in numbers:
                read = ModulePage.objects.get(number=number)
                for lesson in LessonPage.objects.child_of(read).live():
                    complete_lesson(users[email], lesson)

    def seed_course_plan(self, families, themes):
        spec = demo.COURSE_PLAN
        course = StartupCourse.objects.filter(placement__family=families[spec["family"]]).first()
        plan, created = CoursePlan.objects.get_or_create(
            course=course, defaults={"practical_notes": spec["notes"]}
        )
        if created:
            plan.modules.set(ModulePage.objects.filter(number__in=spec["modules"]))
            plan.supervision_themes.set([themes[slug] for slug in spec["themes"]])

    def seed_sessions(self, vejle, families, themes):
        supervisor = User.objects.get(email="konsulent@vejle.example.dk")
        cohort = Cohort.objects.get(municipality=vejle, name="Hold A")
        spec = demo.COHORT_YEAR
        plan_cohort_year(
            cohort,
            [themes[slug] for slug in spec["themes"]],
            weekday=spec["weekday"],
            start_time=time(17, 0),
            duration=timedelta(hours=2),
            supervisors=[supervisor],
            place=spec["place"],
        )
        today = timezone.localdate()

        def at(days, hour):
            return timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)))

        hansen, nielsen = families["Familien Hansen"], families["Familien Nielsen"]
        schedule_session(
            ModuleSession(
                municipality=vejle,
                module=ModulePage.objects.get(number=1),
                start=at(8, 9),
                end=at(8, 15),
                place=spec["place"],
            ),
            [supervisor],
            [hansen, nielsen],
        )
        schedule_session(
            IndividualSupervision(
                municipality=vejle,
                start=at(3, 10),
                end=at(3, 11),
                video_link="https://video.vejle.example.dk/familieplejen",
                # The cohort's quarter of that day: its theme is taken for the visit.
                quarter=cohort.quarters.get(number=(at(3, 10).month - 1) // 3 + 1),
            ),
            [supervisor],
            [hansen],
        )
