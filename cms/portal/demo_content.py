"""The demo data: two municipalities, a user of every role, the 15-module catalogue.

Module numbers, titles and kinds follow the working catalogue in shared/DOMAIN.md.
"""

DEMO_PASSWORD = "Opstart-demo-2026"

MODULE_KINDS = [("general", "Generelt modul"), ("theme", "Temamodul")]

FAMILY_TYPES = [
    ("almen", "Almen plejefamilie"),
    ("forstaerket", "Forstærket plejefamilie"),
    ("specialiseret", "Specialiseret plejefamilie"),
    ("netvaerk", "Netværksplejefamilie"),
]

MUNICIPALITIES = [
    {
        "slug": "vejle",
        "name": "Vejle Kommune",
        "contact_name": "Familieplejen Vejle",
        "contact_email": "familieplejen@vejle.example.dk",
        "contact_phone": "76 81 00 00",
        "emergency_phone": "76 81 00 99",
    },
    {
        "slug": "odense",
        "name": "Odense Kommune",
        "contact_name": "Familieplejen Odense",
        "contact_email": "familieplejen@odense.example.dk",
        "contact_phone": "66 13 13 72",
        "emergency_phone": "",
    },
]

# (e-mail, first name, last name, role, municipality slug or None for national)
USERS = [
    ("underviser@opstart.example.dk", "Ulla", "Underviser", "Trainer", None),
    ("redaktoer@opstart.example.dk", "Rikke", "Redaktør", "Editor", None),
    ("konsulent@vejle.example.dk", "Karen", "Konsulent", "Supervisor", "vejle"),
    ("koordinator@vejle.example.dk", "Kim", "Koordinator", "Coordinator", "vejle"),
    ("konsulent@odense.example.dk", "Ole", "Olsen", "Supervisor", "odense"),
    ("koordinator@odense.example.dk", "Otto", "Odgaard", "Coordinator", "odense"),
    ("mette@familie.example.dk", "Mette", "Hansen", "Foster parent", "vejle"),
    ("lars@familie.example.dk", "Lars", "Hansen", "Foster parent", "vejle"),
    ("sofie@familie.example.dk", "Sofie", "Nielsen", "Foster parent", "vejle"),
    ("anders@familie.example.dk", "Anders", "Jensen", "Foster parent", "odense"),
]
ADMIN_EMAIL = "admin@opstart.example.dk"

# (municipality, family name, family type, care form, parent e-mails, placements)
# A placement is (child first name or initials, birth year, days since it started).
FAMILIES = [
    (
        "vejle",
        "Familien Hansen",
        "almen",
        "full_time",
        ["mette@familie.example.dk", "lars@familie.example.dk"],
        [("Emil", 2017, 45)],
    ),
    (
        "vejle",
        "Familien Nielsen",
        "forstaerket",
        "full_time",
        ["sofie@familie.example.dk"],
        [("M.K.", 2012, 200), ("Ida", 2020, 10)],
    ),
    (
        "odense",
        "Familien Jensen",
        "netvaerk",
        "respite",
        ["anders@familie.example.dk"],
        [("Noah", 2015, 90)],
    ),
]

# A family registered by the Vejle coordinator whose parent has not yet accepted the
# invitation: the e-mail (with its link) is printed by `make run`'s task worker.
INVITED_FAMILY = {
    "municipality": "vejle",
    "name": "Familien Berg",
    "family_type": "almen",
    "care_form": "respite",
    "invited_by": "koordinator@vejle.example.dk",
    "parents": [
        {"first_name": "Birgit", "last_name": "Berg", "email": "birgit@familie.example.dk"}
    ],
}

# (municipality, cohort name, family names, supervisor e-mails)
COHORTS = [
    ("vejle", "Hold A", ["Familien Hansen", "Familien Nielsen"], ["konsulent@vejle.example.dk"]),
]

# (slug, name, description): the quarterly themes of group and individual supervision.
THEMES = [
    (
        "mentalisering",
        "Mentalisering",
        "At være nysgerrig på, hvad barnet tænker og føler bag det, det gør.",
    ),
    (
        "tilknytning",
        "Tilknytning og tryghed",
        "Hvordan barnet lærer at stole på jer, og hvad der gør det trygt.",
    ),
    (
        "samvaer",
        "Samvær og biologisk familie",
        "Barnets forbindelse til sin familie, før, under og efter samvær.",
    ),
    (
        "skole",
        "Skole og dagtilbud",
        "Barnets hverdag i skole og dagtilbud, og jeres samarbejde med dem.",
    ),
]

# The modules that teach a quarter's theme (module number: theme slug), linked from
# *Min side* while the family's cohort is in that quarter.
MODULE_THEMES = {4: "mentalisering", 7: "tilknytning", 3: "samvaer", 5: "skole"}

# Municipality policies that differ from the defaults (6 months, 3 training days).
COURSE_POLICIES = {"odense": {"start_window_months": 3}}

# The Vejle cohort's year: a theme per quarter, Tuesdays 17–19 at the family care office.
COHORT_YEAR = {
    "themes": ["mentalisering", "tilknytning", "samvaer", "skole"],
    "weekday": 1,
    "place": "Familieplejen Vejle, Kirketorvet 22",
}

# The pre-meeting's plan for the first Hansen placement: module numbers and themes.
COURSE_PLAN = {
    "family": "Familien Hansen",
    "modules": [1, 2, 4, 7],
    "themes": ["mentalisering"],
    "notes": "Begge plejeforældre arbejder; undervisning helst fra kl. 16.",
}

# Goals of the child's plan: (family, child, goal in a few words, review in days or None).
CHILD_PLAN_GOALS = [
    ("Familien Hansen", "Emil", "Går i skole hver dag", 60),
    ("Familien Hansen", "Emil", "Ser sin mor hver anden weekend", None),
    ("Familien Nielsen", "Ida", "Falder til i vuggestuen", 30),
    ("Familien Jensen", "Noah", "Har en fritidsaktivitet", 45),
]

# A placement that has ended: (family, child, days since it ended, reason).
ENDED_PLACEMENT = ("Familien Nielsen", "M.K.", 20, "other_placement")

DEVELOPMENT_GOALS = [
    ("Familien Hansen", "Læse en bog sammen med barnet hver dag", 42),
    ("Familien Nielsen", "Faste aftaler om aflevering i skolen hver morgen", 30),
]

# Logbook exercises: (module number or theme slug, kind, timing, title, instructions, fields)
# ``fields`` are the kind's own settings (prompts, question, items, ...).
EXERCISES = [
    (
        1,
        "reflection",
        "before",
        "Tryghed hos os",
        "Tænk på de første uger, før I mødes til undervisningen.",
        {"prompts": "Hvornår virker barnet trygt hos jer?\nHvad gør I, når barnet bliver utrygt?"},
    ),
    (
        1,
        "observation",
        "after",
        "En situation efter undervisningen",
        "Beskriv en situation fra hverdagen, hvor I brugte noget fra modulet.",
        {},
    ),
    (
        1,
        "scale",
        "after",
        "Hverdagens rytme",
        "Vurder, hvor godt jeres faste rutiner fungerer lige nu.",
        {
            "question": "Hvor godt fungerer rutinerne?",
            "minimum_label": "Slet ikke",
            "maximum_label": "Rigtig godt",
        },
    ),
    (
        4,
        "reflection",
        "before",
        "Hvad sker der inde i barnet?",
        "Vælg en situation, hvor barnets reaktion overraskede jer.",
        {"prompts": "Hvad skete der?\nHvad tror du, barnet tænkte og følte?"},
    ),
    (
        4,
        "checklist",
        "after",
        "Mentalisering i praksis",
        "Sæt kryds ved det, I har prøvet siden undervisningen.",
        {
            "items": "Sat ord på barnets følelser\nHoldt en pause før jeg reagerede\n"
            "Spurgt nysgerrigt i stedet for at forklare"
        },
    ),
    (
        "mentalisering",
        "goal_follow_up",
        "before",
        "Opfølgning på jeres mål",
        "Før gruppesupervisionen: hvordan går det med jeres udviklingsmål?",
        {},
    ),
]

# (number, title, kind, summary, lesson title, lesson text, family type slugs)
MODULES = [
    (1, "Den robuste og tryghedsfremmende plejefamilie", "general",
     "Hvad gør en plejefamilie robust, og hvordan skaber I tryghed for et barn, der har "
     "oplevet brud?",
     "Tryghed i hverdagen",
     "Et plejebarn har brug for forudsigelighed. Faste rutiner omkring måltider, sengetid "
     "og skift mellem hjem, skole og samvær gør hverdagen til at overskue.", []),
    (2, "Dynamik i plejefamilien", "general",
     "Et nyt barn ændrer hele familien. Modulet ser på roller, søskende og parforhold.",
     "Når familien bliver en ny",
     "Egne børn, plejebarnet og de voksne skal alle finde en ny plads. Tal åbent om, hvad "
     "der ændrer sig, og giv plads til de følelser, det vækker.", []),
    (3, "Samarbejde med biologisk familie og samvær", "general",
     "Barnets forældre er en del af barnets liv. Sådan støtter I samvær og et godt "
     "samarbejde.",
     "Før, under og efter samvær",
     "Forbered barnet på samvær, vær til stede med ro, og giv barnet tid bagefter. Reaktioner "
     "efter samvær er almindelige og siger ikke i sig selv, at samværet var skadeligt.", []),
    (4, "Mentalisering i hverdagen", "general",
     "At forstå adfærd ud fra de tanker og følelser, der ligger bag den.",
     "Hvad sker der inde i barnet?",
     "Mentalisering er at have sindet på sinde: at være nysgerrig på, hvad barnet tænker og "
     "føler, og på hvad der sker i dig selv.", []),
    (5, "Plejebarnets skolegang og dagtilbud", "theme",
     "Samarbejdet med skole og dagtilbud, og hvordan I støtter barnets læring.",
     "Et godt samarbejde med skolen",
     "Aftal med skolen, hvem der orienterer hvem, og hvordan I sammen opdager, når barnet "
     "har det svært.", []),
    (6, "Overgrebsproblematikker", "theme",
     "Tegn på overgreb, hvordan I reagerer, og jeres pligt til at underrette.",
     "Når du er bekymret",
     "Tag barnets signaler alvorligt, skriv ned hvad du ser og hører, og kontakt din "
     "konsulent. Underretningspligten gælder også plejeforældre.", []),
    (7, "Tilknytning og udviklingstraumer", "general",
     "Hvordan tidlige erfaringer præger barnets måde at knytte sig til voksne på.",
     "Tilknytning i praksis",
     "Et barn med utrygge erfaringer kan afvise den nærhed, det har mest brug for. "
     "Vedholdende, forudsigelig omsorg bygger tillid op over tid.", []),
    (8, "Tab, sorg og krise", "theme",
     "Anbringelsen er et tab for barnet. Sådan rummer I sorg og krise.",
     "Barnets sorg",
     "Sorg kan vise sig som vrede, tilbagetrækning eller uro. Giv ord til tabet, og lad "
     "barnet vide, at det er i orden at savne.", []),
    (9, "Samarbejde med kommunen og barnets plan", "general",
     "Barnets plan, udviklingsplanen og jeres samarbejde med familieplejekonsulenten.",
     "Barnets plan",
     "Kend målene i barnets plan (tidligere handleplan), og brug dem i hverdagen. Din "
     "konsulent hjælper med at omsætte dem til konkrete mål.", []),
    (10, "Spæd- og småbørn i pleje", "theme",
     "De mindste børns behov for nærhed, rytme og samspil.",
     "Samspil med de mindste",
     "Spædbørn lærer verden at kende gennem samspil. Svar på barnets signaler, og hold en "
     "rolig rytme i dagen.", []),
    (11, "Teenagere i plejefamilien", "theme",
     "Selvstændighed, grænser og identitet, når plejebarnet er teenager.",
     "Grænser og frihed",
     "Teenagere har brug for både frihed og voksne, der holder fast. Forklar jeres grænser "
     "og lyt til den unges perspektiv.", []),
    (12, "Børn med funktionsnedsættelser", "theme",
     "Særlige hensyn og samarbejdspartnere, når barnet har en funktionsnedsættelse.",
     "Hverdag med særlige behov",
     "Tilpas forventninger og omgivelser til barnet, og brug de fagpersoner, der kender "
     "barnets funktionsnedsættelse.", ["specialiseret", "forstaerket"]),
    (13, "Netværksanbringelser", "theme",
     "Når plejefamilien er en del af barnets familie eller netværk.",
     "Roller i netværket",
     "I en netværksanbringelse kender I barnets familie i forvejen. Det giver styrke, men "
     "også loyalitetskonflikter, som er værd at tale om.", ["netvaerk"]),
    (14, "Kultur, identitet og livshistorie", "theme",
     "Barnets baggrund, kultur og livshistorie som en del af barnets identitet.",
     "Barnets livshistorie",
     "Hjælp barnet med at samle sin historie: billeder, steder og mennesker. En livsbog kan "
     "være et godt redskab.", []),
    (15, "Børns seksualitet og bekymrende seksuel adfærd", "theme",
     "Alderssvarende seksualitet, og hvad I gør ved bekymrende seksuel adfærd.",
     "Hvad er alderssvarende?",
     "Børns seksualitet udvikler sig med alderen. Kend forskellen på alderssvarende "
     "nysgerrighed og adfærd, der giver grund til bekymring.", []),
]  # fmt: skip

# A second lesson in module 1 that shows the e-learning blocks: a case story and two
# knowledge checks. (module number, slug, title, introduction, StreamField body)
KNOWLEDGE_CHECK_LESSON = (
    1,
    "tjek-din-viden-om-tryghed",
    "Tjek din viden om tryghed",
    "En kort fortælling og to spørgsmål om tryghed i hverdagen.",
    [
        (
            "quote",
            {
                "quote": "Det var først, da vi holdt fast i de samme rutiner hver aften, at "
                "han begyndte at sove igennem.",
                "attribution": "Plejemor i Vejle",
                "story": "<p>Emil på syv år kom i pleje efter flere flytninger. De første "
                "uger vågnede han hver nat. Familien lavede en fast aftenrutine med bad, "
                "historie og samme godnatsang, og efter en måned sov han roligere.</p>",
            },
        ),
        (
            "knowledge_check",
            {
                "question": "Hvad skaber mest tryghed for et nyt plejebarn i de første uger?",
                "choice": "single",
                "options": [
                    {
                        "text": "Faste, forudsigelige rutiner i hverdagen",
                        "correct": True,
                        "explanation": "Forudsigelighed gør hverdagen til at overskue for et "
                        "barn, der har oplevet brud.",
                    },
                    {
                        "text": "Mange nye oplevelser, så barnet ikke keder sig",
                        "correct": False,
                        "explanation": "Mange nye indtryk kan gøre det sværere at falde til.",
                    },
                    {
                        "text": "At barnet selv bestemmer sengetid",
                        "correct": False,
                        "explanation": "Barnet har brug for voksne, der tager ansvar for rammerne.",
                    },
                ],
            },
        ),
        (
            "knowledge_check",
            {
                "question": "Hvilke reaktioner er almindelige efter samvær?",
                "choice": "multiple",
                "options": [
                    {
                        "text": "Uro eller vrede",
                        "correct": True,
                        "explanation": "Mange børn reagerer med uro efter samvær.",
                    },
                    {
                        "text": "Tilbagetrækning",
                        "correct": True,
                        "explanation": "Nogle børn trækker sig og har brug for ro.",
                    },
                    {
                        "text": "Ingen reaktioner overhovedet",
                        "correct": False,
                        "explanation": "Reaktioner er almindelige og siger ikke i sig selv, "
                        "at samværet var skadeligt.",
                    },
                ],
            },
        ),
    ],
)

# The picture at the top of that lesson, drawn with Pillow by seed_demo.
DEMO_IMAGE_TEXT = {
    "alt_text": "Tegning: to voksne og et barn ved et middagsbord",
    "caption": "Faste måltider er en af hverdagens trygge rutiner.",
}

ACCESSIBILITY_STATEMENT = (
    "<p>Opstart skal kunne bruges af alle og følger webtilgængelighedsloven og WCAG 2.1 "
    "niveau AA.</p><p>Finder du noget, der ikke virker for dig, så skriv til din kommunes "
    "familiepleje. Du kan også klage til Digitaliseringsstyrelsen.</p>"
)

# Module 1 taught twice to the Hansens already (days ago), attendance per parent: the
# after-exercise "En situation efter undervisningen" recurs, one entry per session.
PAST_TRAINING = {
    "family": "Familien Hansen",
    "module": 1,
    "sessions": [
        (24, {"mette@familie.example.dk": True, "lars@familie.example.dk": True}),
        (10, {"mette@familie.example.dk": True, "lars@familie.example.dk": False}),
    ],
}

# (session of PAST_TRAINING by index, exercise title, writer, joint, answers, shared)
LOGBOOK_ENTRIES = [
    (
        0,
        "En situation efter undervisningen",
        "mette@familie.example.dk",
        False,
        {
            "situation": "Emil blev urolig, da vi skulle køre til samvær.",
            "child": "Han gemte sig under bordet og ville ikke have jakke på.",
            "me": "Jeg satte mig ned ved siden af ham og sagde, at det var svært.",
            "learned": "Ro og ord på følelsen hjalp mere end at skynde på ham.",
        },
        True,
    ),
    (
        1,
        "En situation efter undervisningen",
        "mette@familie.example.dk",
        False,
        {
            "situation": "Aftensmaden, hvor Emil smed tallerkenen på gulvet.",
            "child": "Han så på mig for at se, hvad jeg ville gøre.",
            "me": "Jeg trak vejret og spurgte, om han var træt.",
            "learned": "Han var sulten og træt; næste gang spiser vi lidt før.",
        },
        False,
    ),
    (
        0,
        "Tryghed hos os",
        "lars@familie.example.dk",
        True,
        {
            "prompt_0": "Når vi læser godnathistorie, og når han må hjælpe i køkkenet.",
            "prompt_1": "Vi bliver hos ham og fortæller, hvad der skal ske.",
        },
        False,
    ),
]

# Who has read module 1's lessons: Mette all of them, Lars none yet, so their progress
# differs on Min side.
LESSONS_READ = {"mette@familie.example.dk": [1]}
