"""Property-based: random text, unicode, NUL bytes, huge values, HTML/JS and SQL-looking
text thrown at every form and endpoint a family or an anonymous visitor can reach. None
may fail (500), and what is stored comes back escaped, never as live HTML."""

from urllib.parse import quote, urlsplit

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from logbook.models import LogbookEntry
from tests.courses.factories import add_lesson, knowledge_check
from tests.factories import FosterFamilyFactory, FosterParentFactory
from tests.logbook.factories import ReflectionExerciseFactory
from tests.supervision.factories import module_session_next_week

pytestmark = pytest.mark.django_db

ATTACKS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "'; DROP TABLE cms_user; --",
    "' OR '1'='1",
    "1; SELECT pg_sleep(10)",
    "\x00",
    "a\x00b",
    "%00",
    "../../etc/passwd",
    "{{ 7*7 }}{% debug %}",
    'NEAR(a b) * " ( )',
    "\u202e\u200b\ufeff",
    "😀" * 50,
    "-1",
    "99999999999999999999999999",
]
bad_text = st.one_of(
    st.sampled_from(ATTACKS),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50),
    st.integers(min_value=1_000, max_value=200_000).map(lambda n: "x" * n),
)
HTML_ATTACKS = [a for a in ATTACKS if "<" in a]

# The client and the database are shared by a test's examples, which is what we want:
# state left by one input (a lockout, a stored entry) is part of the next one's world.
fuzz = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def parent(client, make_module):
    family = FosterFamilyFactory(name="Familien Holm")
    parent = FosterParentFactory(municipality=family.municipality)
    family.parents.add(parent)
    family.save()
    module = make_module(4, lessons=0)
    lesson = add_lesson(module, slug="l", title="Lektion", body=[knowledge_check()])
    module_session_next_week(family, module)
    exercise = ReflectionExerciseFactory(module=module, prompts="Hvad skete der?")
    parent.world = {"family": family, "lesson": lesson, "exercise": exercise}
    client.force_login(parent)
    return parent


@pytest.fixture
def searchable_module(make_module):
    return make_module(1)


def answered(response):
    assert response.status_code < 500, response.status_code
    return response


@fuzz
@given(username=bad_text, password=bad_text)
@example(username="a" * 300 + "@example.dk", password="x")  # longer than axes stores
@example(username="mette\x00@example.dk", password="x")  # PostgreSQL refuses NUL in text
def test_login_form(client, home_page, username, password):
    answered(client.post(reverse("login"), {"username": username, "password": password}))


@fuzz
@given(email=bad_text)
def test_password_reset_form(client, home_page, email):
    answered(client.post(reverse("password_reset"), {"email": email}))


@fuzz
@given(query=bad_text, page=bad_text)
def test_search(client, searchable_module, query, page):
    body = answered(client.get(reverse("courses:search"), {"q": query, "page": page}))
    for attack in HTML_ATTACKS:
        assert attack not in body.content.decode()


@fuzz
@given(block_id=bad_text, options=st.lists(bad_text, max_size=4))
def test_knowledge_check_answer(client, parent, block_id, options):
    lesson = parent.world["lesson"]
    url = reverse("courses:answer-knowledge-check", args=[lesson.pk])
    answered(client.post(url, {"block_id": block_id, "option": options}))


@fuzz
@given(answer=bad_text, version=bad_text, as_json=st.booleans(), joint=bad_text)
def test_logbook_entry_and_autosave(client, parent, answer, version, as_json, joint):
    family, exercise = parent.world["family"], parent.world["exercise"]
    url = reverse("logbook:entry", args=[family.pk, exercise.pk])
    headers = {"Accept": "application/json"} if as_json else {}
    data = {"answer_prompt_0": answer, "version": version, "joint": joint}
    answered(client.post(url, data, headers=headers))


@fuzz
@given(answer=st.sampled_from(HTML_ATTACKS))
def test_stored_entry_text_comes_back_escaped(client, parent, answer):
    family, exercise = parent.world["family"], parent.world["exercise"]
    url = reverse("logbook:entry", args=[family.pk, exercise.pk])
    entry = LogbookEntry.objects.filter(family=family).first()
    version = entry.version if entry else 0
    client.post(url, {"answer_prompt_0": answer, "version": version})
    stored = LogbookEntry.objects.get(family=family).answers["prompt_0"]
    assert stored == answer  # plain text, kept as typed: it is escaped where shown
    for page in (url, reverse("logbook:index")):
        assert answer not in client.get(page).content.decode()


@fuzz
@given(reminders=bad_text, new_address=st.booleans())
def test_calendar_preferences(client, parent, reminders, new_address):
    data = {"email_reminders": reminders}
    if new_address:
        data["new_feed_address"] = "1"
    answered(client.post(reverse("calendar-settings"), data))


@fuzz
@given(token=bad_text)
@example(token="abc\x00def")  # PostgreSQL refuses NUL in text
def test_calendar_feed_token(client, home_page, token):
    response = answered(client.get(f"/kalender/{quote(token[:500], safe='')}.ics"))
    assert response.status_code == 404


@fuzz
@given(
    language=bad_text,
    next_url=st.one_of(bad_text, st.sampled_from(["//evil.example", "https://evil.example/"])),
)
def test_language_switch(client, home_page, language, next_url):
    response = answered(
        client.post(reverse("switch-language"), {"language": language, "next": next_url})
    )
    assert response.status_code == 302
    assert urlsplit(response.url).netloc in ("", "testserver")  # never to another site
