"""Seed a national-scale data set into PostgreSQL: ``python -m tests.perf.seed_scale``.

5 000 families (10 000 parents) in 20 municipalities, one of them a big city with a
fifth of the families; 6 000 placements with their start-up courses and plans, 400
cohorts, 40 000 sessions of every kind and 500 000 logbook entries. It runs
``seed_demo`` first (site, catalogue, roles) and then writes rows in bulk: parents of
rows with ``bulk_create`` (PostgreSQL returns their keys), the large tables with
``COPY``. Deterministic (a fixed random seed) and refuses to run twice: a database that
already holds the perf municipalities is left as it is.
"""

import datetime
import json
import random
import time
from io import StringIO

from tests.perf import configure

FAMILIES = 5_000
PARENTS_PER_FAMILY = 2
PLACEMENTS = 6_000
COHORTS = 400
SESSIONS = 40_000
ENTRIES = 500_000
MUNICIPALITIES = 20
BIG_CITY_FAMILIES = 1_000
PASSWORD = "Opstart-perf-2026"
MARKER_SLUG = "perf-01"
TEXT = (
    "Vi har haft en god uge. Barnet faldt hurtigere i søvn, og vi holdt fast i de faste "
    "rutiner om aftenen. Det var svært efter samværet, men vi satte ord på følelserna. "
)


def split(total, weights):
    """``total`` in integer parts proportional to ``weights`` (largest remainder)."""
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: -(total * weights[i] % whole))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def copy_rows(model_or_table, columns, rows):
    """Write ``rows`` with PostgreSQL's COPY: the fastest way in, constraints still checked."""
    from django.db import connection

    table = getattr(getattr(model_or_table, "_meta", None), "db_table", model_or_table)
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


class ScaleSeeder:
    def __init__(self, out):
        self.out = out
        self.random = random.Random(2026)
        self.now = None
        self.started = time.monotonic()

    def log(self, message):
        self.out.write(f"[{time.monotonic() - self.started:6.1f}s] {message}\n")
        self.out.flush()

    def run(self):
        from django.core.management import call_command
        from django.db import connection, transaction
        from django.utils import timezone

        from cms.models import Municipality

        if Municipality.objects.filter(slug=MARKER_SLUG).exists():
            self.log("Already seeded (municipality perf-01 exists); nothing to do.")
            return False
        call_command("seed_demo", stdout=StringIO())
        self.log("seed_demo done (site, catalogue, roles)")
        self.now = timezone.now()
        with transaction.atomic():
            self.seed_catalogue_exercises()
            self.seed_people()
            self.seed_families()
            self.seed_courses()
            self.seed_cohorts()
            self.seed_sessions()
            self.seed_logbook()
            self.seed_learning()
        # As autovacuum leaves a live database: statistics, and the visibility map that
        # lets PostgreSQL answer a count from an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        self.log("VACUUM ANALYZE done; seeded")
        return True

    # -- national content ------------------------------------------------------------

    def seed_catalogue_exercises(self):
        """A before- and an after-exercise per module, as a full catalogue would have."""
        from courses.models import ModulePage, Theme
        from logbook.models import Exercise, ReflectionExercise

        self.modules = list(ModulePage.objects.order_by("number"))
        self.themes = list(Theme.objects.order_by("pk"))
        for module in self.modules:
            for timing, prompts in (("before", "Hvad forventer I?"), ("after", "Hvad tog I med?")):
                ReflectionExercise.objects.get_or_create(
                    module=module,
                    title=f"{'Før' if timing == 'before' else 'Efter'} modul {module.number}",
                    defaults={"timing": timing, "prompts": f"{prompts}\nHvad vil I prøve?"},
                )
        self.exercises = list(Exercise.objects.order_by("pk"))
        self.answers = {exercise.pk: self.answer_template(exercise) for exercise in self.exercises}
        self.log(f"{len(self.exercises)} exercises")

    def answer_template(self, exercise):
        from django import forms

        answers = {}
        for key, field in exercise.answer_fields(None).items():
            if isinstance(field, forms.MultipleChoiceField):
                answers[key] = [value for value, _label in field.choices][:2]
            elif isinstance(field, forms.ChoiceField):
                values = [value for value, _label in field.choices if value]
                answers[key] = values[len(values) // 2] if values else ""
            else:
                answers[key] = TEXT
        return json.dumps(answers)

    # -- people ----------------------------------------------------------------------

    def seed_people(self):
        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import Group

        from cms.models import Municipality, Role, User

        sizes = split(
            FAMILIES - BIG_CITY_FAMILIES, [1] * (MUNICIPALITIES - 1)
        )  # the other 19 share the rest evenly
        self.family_counts = [BIG_CITY_FAMILIES, *sizes]
        self.municipalities = Municipality.objects.bulk_create(
            Municipality(
                slug=f"perf-{n:02d}",
                name=f"Perf Kommune {n:02d}",
                contact_name=f"Familieplejen {n:02d}",
                contact_email=f"familieplejen@perf-{n:02d}.example.dk",
                contact_phone="70 00 00 00",
                emergency_phone="70 00 00 99",
            )
            for n in range(1, MUNICIPALITIES + 1)
        )
        password = make_password(PASSWORD)
        staff = []
        for index, municipality in enumerate(self.municipalities):
            for k in range(max(2, self.family_counts[index] // 50)):
                staff.append((Role.SUPERVISOR, municipality, f"perf-s{index + 1:02d}-{k:02d}"))
            staff.append((Role.COORDINATOR, municipality, f"perf-k{index + 1:02d}"))
        users = [
            User(
                email=f"{name}@perf.example.dk",
                first_name="Konsulent" if role == Role.SUPERVISOR else "Koordinator",
                last_name=name,
                municipality=municipality,
                password=password,
            )
            for role, municipality, name in staff
        ]
        parent_municipalities = [
            municipality
            for index, municipality in enumerate(self.municipalities)
            for _n in range(self.family_counts[index] * PARENTS_PER_FAMILY)
        ]
        users += [
            User(
                email=f"perf-p{n:05d}@familie.perf.example.dk",
                first_name=self.random.choice(["Mette", "Lars", "Sofie", "Anders", "Ida"]),
                last_name=f"Perf {n}",
                municipality=municipality,
                password=password,
            )
            for n, municipality in enumerate(parent_municipalities)
        ]
        users = User.objects.bulk_create(users, batch_size=5_000)
        groups = {role: Group.objects.get(name=role) for role in Role.values}
        roles = [role for role, _m, _n in staff] + [Role.FOSTER_PARENT] * len(parent_municipalities)
        copy_rows(
            User.groups.through,
            ["user_id", "group_id"],
            ((user.pk, groups[role].pk) for user, role in zip(users, roles, strict=True)),
        )
        self.supervisors = {m.pk: [] for m in self.municipalities}
        for user, role in zip(users, roles, strict=True):
            if role == Role.SUPERVISOR:
                self.supervisors[user.municipality_id].append(user)
        self.parents = users[len(staff) :]
        self.log(f"{len(users)} users ({len(self.parents)} parents)")

    def seed_families(self):
        from courses.models import FamilyType
        from supervision.models import DevelopmentGoal, FosterFamily

        family_types = list(FamilyType.objects.order_by("pk"))
        families = []
        for index, municipality in enumerate(self.municipalities):
            families += [
                FosterFamily(
                    municipality=municipality,
                    name=f"Familien Perf {len(families) + n}",
                    family_type=family_types[n % len(family_types)],
                    care_form="respite" if n % 7 == 0 else "full_time",
                )
                for n in range(self.family_counts[index])
            ]
        self.families = FosterFamily.objects.bulk_create(families, batch_size=5_000)
        self.parents_of = {
            family.pk: self.parents[n * PARENTS_PER_FAMILY : (n + 1) * PARENTS_PER_FAMILY]
            for n, family in enumerate(self.families)
        }
        copy_rows(
            FosterFamily.parents.through,
            ["fosterfamily_id", "user_id"],
            ((f, parent.pk) for f, parents in self.parents_of.items() for parent in parents),
        )
        today = self.now.date()
        copy_rows(
            DevelopmentGoal,
            ["family_id", "text", "review_date", "status"],
            (
                (family.pk, text, today + datetime.timedelta(days=14 * (n + 1)), "active")
                for family in self.families
                for n, text in enumerate(["Læse en bog hver dag", "Faste morgenrutiner"])
            ),
        )
        self.log(f"{len(self.families)} families with parents and goals")

    def seed_courses(self):
        from supervision.models import (
            CoursePlan,
            ModuleCompletion,
            Placement,
            StartupCourse,
            add_months,
        )

        today = self.now.date()
        # One placement per family, a second one for every fifth family.
        owners = self.families + self.families[:: len(self.families) // (PLACEMENTS - FAMILIES)]
        placements = Placement.objects.bulk_create(
            (
                Placement(
                    family=family,
                    child_name=self.random.choice(["Emil", "Ida", "M.K.", "Noah", "A.B."]),
                    birth_year=self.random.randint(2008, 2024),
                    start_date=today - datetime.timedelta(days=self.random.randint(0, 540)),
                )
                for family in owners[:PLACEMENTS]
            ),
            batch_size=5_000,
        )
        self.courses = StartupCourse.objects.bulk_create(
            (
                StartupCourse(
                    placement=placement,
                    start_deadline=add_months(placement.start_date, 6),
                    finish_deadline=add_months(placement.start_date, 12),
                )
                for placement in placements
            ),
            batch_size=5_000,
        )
        # Four of five courses have had their pre-meeting and carry a plan of 3-5 modules.
        planned = [course for n, course in enumerate(self.courses) if n % 5]
        plans = CoursePlan.objects.bulk_create(
            (
                CoursePlan(course=course, practical_notes="Arbejder på hverdage")
                for course in planned
            ),
            batch_size=5_000,
        )
        self.plan_modules = {}
        rows, completions = [], set()
        for plan, course in zip(plans, planned, strict=True):
            chosen = self.random.sample(self.modules, self.random.randint(3, 5))
            family_id = course.placement.family_id
            self.plan_modules.setdefault(family_id, []).extend(chosen)
            for module in chosen:
                rows.append((plan.pk, module.pk))
                if self.random.random() < 0.3:
                    completions.add((family_id, module.pk))
        copy_rows(CoursePlan.modules.through, ["courseplan_id", "modulepage_id"], rows)
        copy_rows(
            ModuleCompletion,
            ["family_id", "module_id", "completed_at"],
            ((family, module, self.now) for family, module in completions),
        )
        self.placements = placements
        self.log(f"{len(placements)} placements and courses, {len(plans)} plans")

    def seed_cohorts(self):
        from supervision.models import Cohort, Quarter

        per_municipality = split(COHORTS, self.family_counts)
        year = self.now.year
        cohorts = Cohort.objects.bulk_create(
            Cohort(municipality=municipality, name=f"Hold {n + 1}", year=year)
            for index, municipality in enumerate(self.municipalities)
            for n in range(per_municipality[index])
        )
        by_municipality = {}
        for cohort in cohorts:
            by_municipality.setdefault(cohort.municipality_id, []).append(cohort)
        self.cohort_of = {}
        for family in self.families:
            teams = by_municipality[family.municipality_id]
            self.cohort_of[family.pk] = teams[family.pk % len(teams)]
        copy_rows(
            Cohort.families.through,
            ["cohort_id", "fosterfamily_id"],
            ((cohort.pk, family) for family, cohort in self.cohort_of.items()),
        )
        copy_rows(
            Cohort.supervisors.through,
            ["cohort_id", "user_id"],
            (
                (cohort.pk, supervisor.pk)
                for cohort in cohorts
                for supervisor in self.supervisors[cohort.municipality_id][:2]
            ),
        )
        self.quarters = Quarter.objects.bulk_create(
            Quarter(cohort=cohort, number=n, theme=self.themes[(n - 1) % len(self.themes)])
            for cohort in cohorts
            for n in range(1, 5)
        )
        self.cohorts = cohorts
        self.log(f"{len(cohorts)} cohorts with {len(self.quarters)} quarters")

    # -- sessions --------------------------------------------------------------------

    def seed_sessions(self):
        """40 000 sessions: group supervision per quarter, a pre-meeting per course,
        teaching days shared by four families, theme and individual supervision."""
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        from supervision.models import (
            Attendance,
            GroupSupervision,
            IndividualSupervision,
            ModuleSession,
            PreMeeting,
            Session,
            ThemeSupervision,
        )

        specs = []  # (kind, start, municipality_id, family_ids, child fields)
        for quarter in self.quarters:
            day = datetime.date(quarter.cohort.year, 3 * quarter.number - 1, 15)
            start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(17)))
            specs.append(
                (
                    GroupSupervision,
                    start,
                    quarter.cohort.municipality_id,
                    [],
                    {
                        "cohort_id": quarter.cohort_id,
                        "quarter_id": quarter.pk,
                        "another_in_quarter": False,
                    },
                )
            )
        families = {family.pk: family for family in self.families}
        for placement, course in zip(self.placements, self.courses, strict=True):
            family = families[placement.family_id]
            specs.append(
                (
                    PreMeeting,
                    self.after(placement.start_date, 14),
                    family.municipality_id,
                    [family.pk],
                    {"course_id": course.pk},
                )
            )
        remaining = SESSIONS - len(specs)
        module_days, themed = remaining * 3 // 8, remaining // 8
        individual = remaining - module_days - themed
        by_municipality = {}
        for family in self.families:
            by_municipality.setdefault(family.municipality_id, []).append(family)
        first_placement = {}
        for placement in self.placements:
            first_placement.setdefault(placement.family_id, placement)
        for n in range(module_days):
            family = self.families[n % len(self.families)]
            neighbours = by_municipality[family.municipality_id]
            group = {family.pk} | {self.random.choice(neighbours).pk for _ in range(3)}
            modules = self.plan_modules.get(family.pk) or self.modules
            specs.append(
                (
                    ModuleSession,
                    self.session_start(first_placement[family.pk]),
                    family.municipality_id,
                    sorted(group),
                    {"module_id": modules[n % len(modules)].pk},
                )
            )
        for n in range(themed + individual):
            family = self.families[(n * 7) % len(self.families)]
            kind, fields = (
                (ThemeSupervision, {"theme_id": self.themes[n % len(self.themes)].pk})
                if n < themed
                else (IndividualSupervision, {})
            )
            specs.append(
                (
                    kind,
                    self.session_start(first_placement[family.pk]),
                    family.municipality_id,
                    [family.pk],
                    fields,
                )
            )

        ctypes = {
            kind: ContentType.objects.get_for_model(kind, for_concrete_model=False)
            for kind in {spec[0] for spec in specs}
        }
        sessions = Session.objects.non_polymorphic().bulk_create(
            (
                Session(
                    municipality_id=municipality_id,
                    start=start,
                    end=start + datetime.timedelta(hours=2),
                    place="Familieplejen, mødelokale 2",
                    polymorphic_ctype=ctypes[kind],
                )
                for kind, start, municipality_id, _families, _fields in specs
            ),
            batch_size=5_000,
        )
        for kind in ctypes:
            columns = ["session_ptr_id", *sorted({k for s in specs if s[0] is kind for k in s[4]})]
            copy_rows(
                kind,
                columns,
                (
                    (session.pk, *(spec[4][c] for c in columns[1:]))
                    for session, spec in zip(sessions, specs, strict=True)
                    if spec[0] is kind
                ),
            )
        copy_rows(
            Session.families.through,
            ["session_id", "fosterfamily_id"],
            ((s.pk, f) for s, spec in zip(sessions, specs, strict=True) for f in spec[3]),
        )
        copy_rows(
            Session.supervisors.through,
            ["session_id", "user_id"],
            ((s.pk, self.random.choice(self.supervisors[s.municipality_id]).pk) for s in sessions),
        )
        attendance = (
            (session.pk, parent.pk, self.random.random() < 0.9)
            for session, spec in zip(sessions, specs, strict=True)
            if spec[0] in (ModuleSession, ThemeSupervision) and session.start < self.now
            for family in spec[3]
            for parent in self.parents_of[family]
        )
        copy_rows(Attendance, ["session_id", "parent_id", "present"], attendance)
        self.sessions = sessions
        # Each family's first session on each topic: its logbook entries are written for it.
        self.topic_sessions = {}
        for session, (kind, _start, _municipality, family_ids, fields) in zip(
            sessions, specs, strict=True
        ):
            topic = (
                ("module", fields.get("module_id"))
                if kind is ModuleSession
                else ("theme", fields.get("theme_id"))
            )
            if kind in (ModuleSession, ThemeSupervision):
                for family_id in family_ids:
                    self.topic_sessions.setdefault((family_id, topic), session.pk)
        self.log(f"{len(sessions)} sessions with families, supervisors and attendance")

    def after(self, day, days):
        from django.utils import timezone

        moment = datetime.datetime.combine(day + datetime.timedelta(days=days), datetime.time(10))
        return timezone.make_aware(moment)

    def session_start(self, placement):
        """Within the placement's first year, and at most three months ahead."""
        latest = (self.now.date() + datetime.timedelta(days=90) - placement.start_date).days
        return self.after(placement.start_date, self.random.randint(0, min(365, latest)))

    # -- logbook and learning ---------------------------------------------------------

    def seed_logbook(self):
        """100 entries a family: both parents' own and the joint entry per exercise, for
        the family's first session on the exercise's topic (none if it has none)."""
        from logbook.models import Feedback, LogbookEntry

        per_family = ENTRIES // len(self.families)

        def entries():
            for n, family in enumerate(self.families):
                parents = self.parents_of[family.pk]
                written = 0
                offset = n % len(self.exercises)
                for k in range(len(self.exercises)):
                    exercise = self.exercises[(offset + k) % len(self.exercises)]
                    topic = (
                        ("module", exercise.module_id)
                        if exercise.module_id
                        else ("theme", exercise.theme_id)
                    )
                    session_id = self.topic_sessions.get((family.pk, topic))
                    for author, joint in ((parents[0], False), (parents[1], False), (None, True)):
                        if written == per_family:
                            break
                        written += 1
                        moment = self.now - datetime.timedelta(minutes=written * 997 + n)
                        shared = moment if written % 3 == 0 else None
                        yield (
                            exercise.pk,
                            session_id,
                            family.pk,
                            (author or parents[0]).pk,
                            joint,
                            (author or parents[0]).pk,
                            self.answers[exercise.pk],
                            1,
                            moment,
                            moment,
                            shared,
                        )

        copy_rows(
            LogbookEntry,
            [
                "exercise_id",
                "session_id",
                "family_id",
                "author_id",
                "is_joint",
                "last_edited_by_id",
                "answers",
                "version",
                "created_at",
                "updated_at",
                "shared_at",
            ],
            entries(),
        )
        self.log(f"{LogbookEntry.objects.count()} logbook entries")
        families = {family.pk: family for family in self.families}
        shared = list(
            LogbookEntry.objects.filter(shared_at__isnull=False).values_list("pk", "family_id")
        )
        copy_rows(
            Feedback,
            ["entry_id", "author_id", "text", "created_at", "updated_at"],
            (
                (
                    pk,
                    self.supervisors[families[family_id].municipality_id][0].pk,
                    "Tak for jeres deling. Godt set.",
                    self.now,
                    self.now,
                )
                for pk, family_id in shared
                if pk % 4 == 0
            ),
        )
        self.log(f"{Feedback.objects.count()} feedback")

    def seed_learning(self):
        from courses.models import LessonPage, LessonProgress

        lessons = {}
        for lesson in LessonPage.objects.live().order_by("path"):
            lessons.setdefault(lesson.path[: -LessonPage.steplen], []).append(lesson.pk)
        rows = []
        for family in self.families:
            for module in self.plan_modules.get(family.pk, [])[:3]:
                for parent in self.parents_of[family.pk]:
                    for lesson_id in lessons.get(module.path, []):
                        done = self.now if self.random.random() < 0.5 else None
                        rows.append((parent.pk, lesson_id, self.now, done))
        copy_rows(LessonProgress, ["user_id", "lesson_id", "last_visited_at", "completed_at"], rows)
        self.log(f"{len(rows)} lesson progress rows")


def seed(out):
    return ScaleSeeder(out).run()


if __name__ == "__main__":
    import sys

    configure()
    seed(sys.stdout)
