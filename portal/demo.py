"""Realistic demo data: schemes, associations, activities in three languages, staff accounts.

``flask seed-demo`` loads it into an empty database. Names and places are invented; the amounts
and the activities follow the municipal plans in PRODUCT.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from argon2 import PasswordHasher
from sqlalchemy import func, select

from portal.applications.models import (
    Applicant,
    Application,
    EquipmentItem,
    Household,
    Participant,
    ReasonKind,
    ReasonTemplate,
    ReasonTemplateTranslation,
    Relation,
)
from portal.auth.models import Role, User
from portal.catalogue.models import (
    Activity,
    ActivitySession,
    ActivityTranslation,
    Association,
    Audience,
)
from portal.db import utcnow
from portal.extensions import db
from portal.main.models import MunicipalitySettings
from portal.people import matching
from portal.schemes.models import Scheme, SchemeKind, SchemeTranslation, SchemeYear
from portal.workflow import Action, Actor, ApplicationKind, ApplicationStatus, record_change

#: Demo accounts (e-mail, password, role, name); the README lists them.
DEMO_PASSWORD_GUIDE = "guide-demo-2026"  # noqa: S105 - published demo credentials
DEMO_PASSWORD_ADMIN = "admin-demo-2026"  # noqa: S105
#: The demo guide's and administrator's second factor, so a new user can sign in at once:
#: ``flask staff code guide@demo.fritidsportalen.dk`` prints the current code (demo data only).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPFRITIDSDEMOTWOA"  # noqa: S105 - demo data, published

DEMO_USERS = [
    ("guide@demo.fritidsportalen.dk", DEMO_PASSWORD_GUIDE, Role.GUIDE, "Mette Guide", None),
    ("admin@demo.fritidsportalen.dk", DEMO_PASSWORD_ADMIN, Role.ADMIN, "Anders Admin", None),
    (
        "cricket@demo.fritidsportalen.dk",
        None,  # club contacts sign in with a one-time link
        Role.ASSOCIATION,
        "Rahima Træner",
        "29871635",
    ),
]
#: The demo club contact's mobile number (the sign-in link can go by SMS too).
DEMO_CLUB_PHONE = "+4540506070"

# (code, kind, prefix, pool, cap, target people, {locale: (name, description, success criterion)})
SCHEMES = [
    (
        "leisure-pass",
        SchemeKind.LEISURE_PASS,
        "FP",
        400_000,
        2_000,
        None,
        {
            "da": (
                "Fritidspas",
                "Kommunen betaler kontingentet til en forening, op til 2.000 kr. om året.",
                "Flere børn og unge bliver medlem af en forening og bliver ved.",
            ),
            "ar": (
                "بطاقة وقت الفراغ",
                "تدفع البلدية رسوم العضوية في نادٍ، حتى 2000 كرونة في السنة.",
                "أن ينضم المزيد من الأطفال والشباب إلى نادٍ ويستمروا فيه.",
            ),
            "en": (
                "Leisure pass",
                "The municipality pays the membership fee of a club, up to 2,000 kr a year.",
                "More children and young people join a club and stay.",
            ),
        },
    ),
    (
        "equipment",
        SchemeKind.EQUIPMENT,
        "UD",
        15_000,
        500,
        20,
        {
            "da": (
                "Udstyrspuljen",
                "Op til 500 kr. til nødvendigt udstyr for dig, der har et fritidspas.",
                "20 borgere om året får hjælp til udstyr.",
            ),
            "ar": (
                "صندوق المعدات",
                "حتى 500 كرونة للمعدات الضرورية لمن لديه بطاقة وقت الفراغ.",
                "مساعدة 20 مواطنًا في السنة في شراء المعدات.",
            ),
            "en": (
                "Equipment pool",
                "Up to 500 kr for necessary equipment for people who hold a leisure pass.",
                "20 citizens a year helped with equipment.",
            ),
        },
    ),
    (
        "cricket",
        SchemeKind.TARGETED_ACTIVITY,
        "KR",
        60_000,
        1_200,
        35,
        {
            "da": (
                "Cricket for piger og kvinder",
                "Klubbens første pige- og kvindehold. Kommunen betaler kontingentet.",
                "2 pigehold og 1 kvindehold med 30-40 deltagere, som træner mindst to gange om ugen.",
            ),
            "ar": (
                "الكريكيت للفتيات والنساء",
                "أول فرق للفتيات والنساء في النادي. تدفع البلدية رسوم العضوية.",
                "فريقان للفتيات وفريق للنساء بـ30 إلى 40 مشاركة يتدربن مرتين أسبوعيًا على الأقل.",
            ),
            "en": (
                "Cricket for girls and women",
                "The club's first girls' and women's teams. The municipality pays the fee.",
                "2 girls' teams and 1 women's team with 30-40 players training at least twice a week.",
            ),
        },
    ),
    (
        "esport",
        SchemeKind.TARGETED_ACTIVITY,
        "ES",
        40_000,
        1_000,
        40,
        {
            "da": (
                "Esport for mangfoldighed",
                "Træning for 10-15-årige og ungeambassadører på 13-18 år.",
                "40 unge deltager, og 6 bliver ungeambassadører.",
            ),
            "ar": (
                "الرياضات الإلكترونية للتنوع",
                "تدريب للأعمار 10-15 وسفراء شباب من 13 إلى 18 سنة.",
                "مشاركة 40 شابًا، ويصبح 6 منهم سفراء شباب.",
            ),
            "en": (
                "Esport for diversity",
                "Training for ages 10-15 and youth ambassadors aged 13-18.",
                "40 young people take part and 6 become youth ambassadors.",
            ),
        },
    ),
    (
        "exercise-women",
        SchemeKind.TARGETED_ACTIVITY,
        "MO",
        30_000,
        800,
        25,
        {
            "da": (
                "Motion for kvinder",
                "En motionsklub for voksne, især kvinder, som ikke er vant til at dyrke sport.",
                "25 kvinder kommer fast i klubben.",
            ),
            "ar": (
                "الرياضة للنساء",
                "نادٍ رياضي للبالغين، وخاصة النساء غير المعتادات على ممارسة الرياضة.",
                "25 امرأة يحضرن بانتظام.",
            ),
            "en": (
                "Exercise for women",
                "An exercise club for adults, especially women, who are not used to sport.",
                "25 women attend regularly.",
            ),
        },
    ),
]

# (name, cvr, address, postcode, city, e-mail, phone)
ASSOCIATIONS = {
    "cricket": ("Vejle Cricket Klub", "29871635", "Boulevarden 12", "7100", "Vejle", "kontakt@vejlecricket.example", "+4575110011"),
    "esport": ("Esport Vejle", "38112244", "Havnegade 4", "7100", "Vejle", "hej@esportvejle.example", "+4575110022"),
    "health": ("Idrætsforeningen Sundhed", "31456789", "Grønnegade 8", "7120", "Vejle Øst", "info@ifsundhed.example", "+4575110033"),
    "football": ("Vejle Boldklub Ungdom", "27345612", "Stadionvej 2", "7100", "Vejle", "ungdom@vbu.example", "+4575110044"),
    "swim": ("Svømmeklubben Delfinen", "26789123", "Badevej 10", "7120", "Vejle Øst", "svoem@delfinen.example", "+4575110055"),
    "scouts": ("KFUM-Spejderne Jelling", "33221100", "Skovvej 3", "7300", "Jelling", "jelling@spejd.example", "+4575110066"),
    "music": ("Musikforeningen Spil Med", "35678901", "Kirkegade 20", "7100", "Vejle", "musik@spilmed.example", "+4575110077"),
    "dance": ("Dansestudiet Rytme", "36789012", "Torvet 5", "7080", "Børkop", "dans@rytme.example", "+4575110088"),
    "chess": ("Skakklubben Løberen", "25678934", "Biblioteksvej 1", "7100", "Vejle", "skak@loeberen.example", "+4575110099"),
    "gym": ("Børkop Gymnastikforening", "24567845", "Hallen 7", "7080", "Børkop", "gym@bgf.example", "+4575110100"),
    "athletics": ("Vejle Atletik", "23456756", "Løbebanen 1", "7100", "Vejle", "atletik@vejleatletik.example", "+4575110111"),
    "badminton": ("Bredsten Badmintonklub", "22345667", "Idrætsvej 9", "7182", "Bredsten", "bold@bredstenbad.example", "+4575110122"),
    "judo": ("Vejle Judo Klub", "21234578", "Dojovej 2", "7120", "Vejle Øst", "judo@vejlejudo.example", "+4575110133"),
    "basket": ("Jelling Basketball", "20123489", "Kurvevej 6", "7300", "Jelling", "basket@jellingbasket.example", "+4575110144"),
}  # fmt: skip


@dataclass(frozen=True)
class DemoActivity:
    slug: str
    association: str
    scheme: str | None
    ages: tuple[int, int]
    audience: Audience
    sessions: tuple[tuple[int, str, str], ...]
    place: tuple[str, str, str, str]  # place, address, postcode, city
    fee_kr: int
    capacity: int
    free_places: int
    text: dict[str, tuple[str, str]]
    is_open: bool = True


A = Audience
CRICKET_GROUND = ("Vejle Cricketbane", "Boulevarden 12", "7100", "Vejle")
ESPORT_HOUSE = ("Esporthuset", "Havnegade 4", "7100", "Vejle")
SWIMMING_POOL = ("Vejle Øst Svømmehal", "Badevej 10", "7120", "Vejle Øst")
STADIUM = ("Vejle Stadion, bane 3", "Stadionvej 2", "7100", "Vejle")
BORKOP_HALL = ("Børkop Hallen", "Hallen 7", "7080", "Børkop")
JELLING_HALL = ("Jelling Idrætscenter", "Kurvevej 6", "7300", "Jelling")

ACTIVITIES = [
    DemoActivity(
        "girls-cricket", "cricket", "cricket", (9, 16), A.GIRLS,
        ((1, "17:00", "18:30"), (3, "17:00", "18:30")), CRICKET_GROUND, 600, 20, 8,
        {
            "da": ("Cricket for piger", "Klubbens første pigehold. Vi lærer at kaste, slå og gribe, og vi har det sjovt sammen. Du behøver ikke at have spillet før. Klubben låner dig udstyr."),
            "ar": ("كريكيت للفتيات", "أول فريق للفتيات في النادي. نتعلم الرمي والضرب والالتقاط، ونستمتع معًا. لا حاجة إلى خبرة سابقة. يعيرك النادي المعدات."),
            "en": ("Cricket for girls", "The club's first girls' team. We learn to bowl, bat and catch, and have fun together. No experience needed. The club lends you the kit."),
        },
    ),
    DemoActivity(
        "womens-cricket", "cricket", "cricket", (17, 99), A.WOMEN,
        ((2, "19:00", "20:30"), (5, "10:00", "12:00")), CRICKET_GROUND, 900, 20, 12,
        {
            "da": ("Cricket for kvinder", "Et nyt kvindehold for begyndere og øvede. Træning to gange om ugen med kvindelig træner."),
            "ar": ("كريكيت للنساء", "فريق جديد للنساء، للمبتدئات وذوات الخبرة. تدريب مرتين في الأسبوع مع مدربة."),
            "en": ("Cricket for women", "A new women's team for beginners and experienced players. Training twice a week with a female coach."),
        },
    ),
    DemoActivity(
        "esport-training", "esport", "esport", (10, 15), A.ANYONE,
        ((0, "16:00", "18:00"), (2, "16:00", "18:00")), ESPORT_HOUSE, 800, 24, 5,
        {
            "da": ("Esport-træning", "Vi spiller sammen, træner holdspil og taler om god opførsel online. Der er faste pauser med bevægelse."),
            "ar": ("تدريب الرياضات الإلكترونية", "نلعب معًا ونتدرب على اللعب الجماعي ونتحدث عن السلوك الجيد على الإنترنت. هناك استراحات منتظمة للحركة."),
            "en": ("Esport training", "We play together, practise teamwork and talk about good behaviour online. Regular breaks with movement."),
        },
    ),
    DemoActivity(
        "esport-ambassadors", "esport", "esport", (13, 18), A.ANYONE,
        ((3, "18:00", "20:00"),), ESPORT_HOUSE, 0, 8, 3,
        {
            "da": ("Esport-ungeambassadører", "Bliv ungeambassadør: du hjælper yngre spillere i klubben og på skoler og lærer at lede et hold."),
            "ar": ("سفراء الشباب للرياضات الإلكترونية", "كن سفيرًا شابًا: تساعد اللاعبين الأصغر سنًا في النادي والمدارس وتتعلم قيادة فريق."),
            "en": ("Esport youth ambassadors", "Become a youth ambassador: help younger players at the club and in schools, and learn to lead a team."),
        },
    ),
    DemoActivity(
        "exercise-club-women", "health", "exercise-women", (18, 99), A.WOMEN,
        ((1, "10:00", "11:00"), (3, "10:00", "11:00")), ("Sundhedshuset, sal 2", "Grønnegade 8", "7120", "Vejle Øst"), 400, 25, 10,
        {
            "da": ("Motionsklub for kvinder", "Rolig motion for kvinder, der ikke er vant til sport. Kun kvinder i salen og kvindelige instruktører. Børnepasning under træningen."),
            "ar": ("نادي رياضي للنساء", "تمارين هادئة للنساء غير المعتادات على الرياضة. القاعة للنساء فقط ومع مدربات. رعاية للأطفال أثناء التدريب."),
            "en": ("Exercise club for women", "Gentle exercise for women who are not used to sport. Women only, with female instructors. Childcare during the session."),
        },
    ),
    DemoActivity(
        "football-u9", "football", None, (6, 9), A.ANYONE,
        ((2, "16:30", "17:30"),), STADIUM, 700, 30, 6,
        {
            "da": ("Fodbold for de små", "Leg med bold for piger og drenge. Vi spiller små kampe og lærer at være en god holdkammerat."),
            "ar": ("كرة القدم للصغار", "لعب بالكرة للبنات والأولاد. نلعب مباريات صغيرة ونتعلم أن نكون زملاء جيدين في الفريق."),
            "en": ("Football for little ones", "Ball games for girls and boys. We play small matches and learn to be good teammates."),
        },
    ),
    DemoActivity(
        "girls-football", "football", None, (10, 14), A.GIRLS,
        ((0, "17:00", "18:30"), (3, "17:00", "18:30")), STADIUM, 1100, 22, 4,
        {
            "da": ("Pigefodbold", "Træning og kampe for piger. Nye spillere er altid velkomne, også midt i sæsonen."),
            "ar": ("كرة القدم للبنات", "تدريب ومباريات للبنات. اللاعبات الجديدات مرحب بهن دائمًا، حتى في منتصف الموسم."),
            "en": ("Girls' football", "Training and matches for girls. New players are always welcome, even mid-season."),
        },
    ),
    DemoActivity(
        "boys-football", "football", None, (10, 14), A.BOYS,
        ((1, "17:00", "18:30"), (4, "16:30", "18:00")), STADIUM, 1100, 30, 0,
        {
            "da": ("Drengefodbold", "Træning og kampe for drenge. Holdet er fuldt lige nu, men du kan komme på venteliste."),
            "ar": ("كرة القدم للأولاد", "تدريب ومباريات للأولاد. الفريق ممتلئ حاليًا، لكن يمكنك التسجيل في قائمة الانتظار."),
            "en": ("Boys' football", "Training and matches for boys. The team is full right now, but you can join the waiting list."),
        },
    ),
    DemoActivity(
        "football-men", "football", None, (18, 99), A.MEN,
        ((2, "19:00", "20:30"),), STADIUM, 1500, 25, 7,
        {
            "da": ("Motionsfodbold for mænd", "Fodbold for sjov og motion. Vi spiller på kunstgræs hele året."),
            "ar": ("كرة القدم الترفيهية للرجال", "كرة قدم للمتعة والرياضة. نلعب على العشب الصناعي طوال العام."),
            "en": ("Recreational football for men", "Football for fun and fitness. We play on artificial grass all year."),
        },
    ),
    DemoActivity(
        "swimming-kids", "swim", None, (5, 12), A.ANYONE,
        ((0, "16:00", "16:45"), (4, "16:00", "16:45")), SWIMMING_POOL, 1400, 40, 9,
        {
            "da": ("Svømmeskole for børn", "Lær at svømme i små hold efter niveau. Vi starter på lavt vand."),
            "ar": ("مدرسة السباحة للأطفال", "تعلّم السباحة في مجموعات صغيرة حسب المستوى. نبدأ في المياه الضحلة."),
            "en": ("Swimming school for children", "Learn to swim in small groups by level. We start in shallow water."),
        },
    ),
    DemoActivity(
        "swimming-women", "swim", None, (16, 99), A.WOMEN,
        ((6, "09:00", "10:00"),), SWIMMING_POOL, 900, 30, 11,
        {
            "da": ("Svømning for kvinder", "Svømmehallen er kun for kvinder, og alle instruktører er kvinder. Begyndere er velkomne."),
            "ar": ("السباحة للنساء", "المسبح مخصص للنساء فقط، وجميع المدربات نساء. المبتدئات مرحب بهن."),
            "en": ("Swimming for women", "The pool is women-only and all instructors are women. Beginners welcome."),
        },
    ),
    DemoActivity(
        "swimming-teens", "swim", None, (13, 17), A.ANYONE,
        ((2, "18:00", "19:00"),), SWIMMING_POOL, 1400, 20, 3,
        {
            "da": ("Svømning for unge", "Teknik og kondition for unge, der kan svømme 200 meter."),
            "ar": ("السباحة للشباب", "التقنية واللياقة للشباب الذين يستطيعون سباحة 200 متر."),
            "en": ("Swimming for teenagers", "Technique and fitness for young people who can swim 200 metres."),
        },
    ),
    DemoActivity(
        "scouts-juniors", "scouts", None, (7, 12), A.ANYONE,
        ((1, "17:30", "19:00"),), ("Spejderhytten", "Skovvej 3", "7300", "Jelling"), 800, 30, 10,
        {
            "da": ("Spejder for børn", "Vi er ude i naturen, laver bål, bygger og går på opdagelse. Weekendture et par gange om året."),
            "ar": ("الكشافة للأطفال", "نقضي الوقت في الطبيعة، نشعل النار ونبني ونستكشف. رحلات نهاية الأسبوع بضع مرات في السنة."),
            "en": ("Scouts for children", "We spend time outdoors, make fires, build and explore. Weekend trips a few times a year."),
        },
    ),
    DemoActivity(
        "scouts-seniors", "scouts", None, (13, 17), A.ANYONE,
        ((3, "19:00", "21:00"),), ("Spejderhytten", "Skovvej 3", "7300", "Jelling"), 900, 20, 6,
        {
            "da": ("Spejder for unge", "Større ture, kanosejlads og lejre, som I selv er med til at planlægge."),
            "ar": ("الكشافة للشباب", "رحلات أكبر وتجديف بالكانو ومخيمات تشاركون في التخطيط لها."),
            "en": ("Scouts for teenagers", "Bigger trips, canoeing and camps that you help plan."),
        },
    ),
    DemoActivity(
        "guitar", "music", None, (8, 16), A.ANYONE,
        ((0, "15:30", "16:30"),), ("Musikhuset", "Kirkegade 20", "7100", "Vejle"), 1800, 12, 2,
        {
            "da": ("Guitar på hold", "Lær de første akkorder og spil sange sammen. Du kan låne en guitar."),
            "ar": ("دروس الغيتار الجماعية", "تعلّم أول الأوتار وغنِّ الأغاني مع الآخرين. يمكنك استعارة غيتار."),
            "en": ("Guitar group", "Learn your first chords and play songs together. You can borrow a guitar."),
        },
    ),
    DemoActivity(
        "childrens-choir", "music", None, (7, 12), A.ANYONE,
        ((2, "15:00", "16:00"),), ("Musikhuset", "Kirkegade 20", "7100", "Vejle"), 600, 30, 14,
        {
            "da": ("Børnekor", "Vi synger sange fra hele verden og giver koncert to gange om året."),
            "ar": ("جوقة الأطفال", "نغني أغاني من جميع أنحاء العالم ونقيم حفلة مرتين في السنة."),
            "en": ("Children's choir", "We sing songs from all over the world and give a concert twice a year."),
        },
    ),
    DemoActivity(
        "street-dance", "dance", None, (10, 16), A.ANYONE,
        ((1, "16:00", "17:00"), (3, "16:00", "17:00")), ("Dansestudiet", "Torvet 5", "7080", "Børkop"), 1200, 25, 0,
        {
            "da": ("Streetdance", "Hiphop og streetdance med en ung instruktør. Holdet tager ikke nye medlemmer før januar."),
            "ar": ("رقص الشارع", "هيب هوب ورقص الشارع مع مدرب شاب. لا يقبل الفريق أعضاء جددًا قبل يناير."),
            "en": ("Street dance", "Hip hop and street dance with a young instructor. The group takes no new members until January."),
        },
        is_open=False,
    ),
    DemoActivity(
        "kids-dance", "dance", None, (5, 9), A.ANYONE,
        ((5, "10:00", "11:00"),), ("Dansestudiet", "Torvet 5", "7080", "Børkop"), 900, 20, 7,
        {
            "da": ("Børnedans", "Dans, musik og leg for de yngste. Forældre må gerne se med den første gang."),
            "ar": ("رقص الأطفال", "رقص وموسيقى ولعب للأصغر سنًا. يمكن للوالدين المشاهدة في المرة الأولى."),
            "en": ("Dance for children", "Dance, music and play for the youngest. Parents may watch the first time."),
        },
    ),
    DemoActivity(
        "chess", "chess", None, (8, 99), A.ANYONE,
        ((3, "18:30", "21:00"),), ("Hovedbiblioteket, mødelokale 1", "Biblioteksvej 1", "7100", "Vejle"), 300, 40, 25,
        {
            "da": ("Skak for alle", "Børn og voksne spiller sammen. Begyndere får en fast makker den første måned."),
            "ar": ("الشطرنج للجميع", "يلعب الأطفال والكبار معًا. يحصل المبتدئون على شريك ثابت في الشهر الأول."),
            "en": ("Chess for everyone", "Children and adults play together. Beginners get a regular partner for the first month."),
        },
    ),
    DemoActivity(
        "gymnastics", "gym", None, (6, 12), A.ANYONE,
        ((0, "17:00", "18:00"),), BORKOP_HALL, 850, 40, 12,
        {
            "da": ("Springgymnastik", "Spring, rulle og balance på trampolin og måtter. Trænerne hjælper alle i deres eget tempo."),
            "ar": ("الجمباز", "القفز والتدحرج والتوازن على الترامبولين والحصائر. يساعد المدربون الجميع بحسب سرعتهم."),
            "en": ("Gymnastics", "Jumping, rolling and balance on trampolines and mats. Coaches help everyone at their own pace."),
        },
    ),
    DemoActivity(
        "parkour", "gym", None, (12, 18), A.ANYONE,
        ((4, "17:00", "18:30"),), BORKOP_HALL, 950, 20, 5,
        {
            "da": ("Parkour", "Løb, hop og klatring inde og ude. Vi lærer at falde sikkert."),
            "ar": ("الباركور", "الجري والقفز والتسلق في الداخل والخارج. نتعلم السقوط بأمان."),
            "en": ("Parkour", "Running, jumping and climbing indoors and out. We learn to fall safely."),
        },
    ),
    DemoActivity(
        "athletics", "athletics", None, (8, 14), A.ANYONE,
        ((1, "16:30", "18:00"),), ("Vejle Atletikstadion", "Løbebanen 1", "7100", "Vejle"), 900, 35, 15,
        {
            "da": ("Atletik for børn", "Løb, spring og kast. Du prøver alle discipliner og finder din favorit."),
            "ar": ("ألعاب القوى للأطفال", "الجري والقفز والرمي. تجرب جميع الأنواع وتجد ما تفضله."),
            "en": ("Athletics for children", "Running, jumping and throwing. Try every event and find your favourite."),
        },
    ),
    DemoActivity(
        "badminton", "badminton", None, (9, 18), A.ANYONE,
        ((2, "17:00", "18:30"),), ("Bredsten Hallen", "Idrætsvej 9", "7182", "Bredsten"), 1000, 24, 8,
        {
            "da": ("Badminton for unge", "Træning for begyndere og øvede. Ketsjere kan lånes."),
            "ar": ("الريشة الطائرة للشباب", "تدريب للمبتدئين وذوي الخبرة. يمكن استعارة المضارب."),
            "en": ("Badminton for young people", "Training for beginners and experienced players. Rackets can be borrowed."),
        },
    ),
    DemoActivity(
        "judo", "judo", None, (7, 14), A.ANYONE,
        ((0, "17:00", "18:00"), (3, "17:00", "18:00")), ("Dojoen", "Dojovej 2", "7120", "Vejle Øst"), 1300, 30, 9,
        {
            "da": ("Judo", "Respekt, styrke og selvtillid. Du kan låne en judodragt de første tre måneder."),
            "ar": ("الجودو", "الاحترام والقوة والثقة بالنفس. يمكنك استعارة بدلة الجودو في الأشهر الثلاثة الأولى."),
            "en": ("Judo", "Respect, strength and confidence. You can borrow a judo suit for the first three months."),
        },
    ),
    DemoActivity(
        "basketball", "basket", None, (12, 18), A.ANYONE,
        ((1, "18:00", "19:30"), (4, "18:00", "19:30")), JELLING_HALL, 1100, 24, 10,
        {
            "da": ("Basketball for unge", "Hurtigt holdspil for piger og drenge. Vi spiller turneringer i hele regionen."),
            "ar": ("كرة السلة للشباب", "لعبة جماعية سريعة للبنات والأولاد. نشارك في بطولات في جميع أنحاء المنطقة."),
            "en": ("Basketball for young people", "Fast team play for girls and boys. We play tournaments across the region."),
        },
    ),
]  # fmt: skip

# (code, kind, {locale: text})
REASONS = [
    ("age-does-not-fit", ReasonKind.DECLINE_APPLICATION, {
        "da": "Deltageren har ikke den alder, som ordningen eller aktiviteten er for.",
        "ar": "عمر المشارك لا يناسب البرنامج أو النشاط.",
        "en": "The participant's age does not fit the scheme or the activity.",
    }),
    ("cap-used", ReasonKind.DECLINE_APPLICATION, {
        "da": "Deltageren har allerede fået det højeste beløb i år.",
        "ar": "حصل المشارك بالفعل على الحد الأقصى للمبلغ هذا العام.",
        "en": "The participant has already received the highest amount this year.",
    }),
    ("pool-empty", ReasonKind.DECLINE_APPLICATION, {
        "da": "Der er ikke flere penge i puljen i år.",
        "ar": "لم يعد هناك مال في الصندوق هذا العام.",
        "en": "There is no money left in the pool this year.",
    }),
    ("not-resident", ReasonKind.DECLINE_APPLICATION, {
        "da": "Deltageren bor ikke i kommunen.",
        "ar": "المشارك لا يسكن في البلدية.",
        "en": "The participant does not live in the municipality.",
    }),
    ("no-answer", ReasonKind.DECLINE_APPLICATION, {
        "da": "Vi har ikke fået de oplysninger, vi bad om.",
        "ar": "لم نتلقَّ المعلومات التي طلبناها.",
        "en": "We did not receive the information we asked for.",
    }),
    ("activity-full", ReasonKind.DECLINE_ENROLMENT, {
        "da": "Holdet er fuldt.",
        "ar": "الفريق ممتلئ.",
        "en": "The team is full.",
    }),
    ("did-not-show", ReasonKind.DECLINE_ENROLMENT, {
        "da": "Deltageren kom ikke til træning.",
        "ar": "لم يحضر المشارك التدريب.",
        "en": "The participant did not come to training.",
    }),
]  # fmt: skip


def _time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def is_loaded() -> bool:
    return bool(db.session.execute(select(func.count()).select_from(Scheme)).scalar_one())


#: Families waiting for a guide in the demo: (reference, kind, activity slug or None, first
#: name, last name, born, language, phone, postcode, message, equipment items, question asked).
DEMO_APPLICATIONS = [
    (
        "PC-7K3Q-92",
        ApplicationKind.ACTIVITY_PLACE,
        "girls-cricket",
        "Amira",
        "Haddad",
        date(2015, 5, 3),
        "ar",
        "+4520123456",
        "7100",
        "تحب الكريكيت كثيرًا",
        (),
        None,
    ),
    (
        "PC-3XZD-7R",
        ApplicationKind.ACTIVITY_PLACE,
        "girls-cricket",
        "Layla",
        "Karimi",
        date(2014, 8, 21),
        "ar",
        "+4528282828",
        "7100",
        None,
        (),
        None,
    ),
    (
        "FP-4M8T-2X",
        ApplicationKind.LEISURE_PASS,
        "girls-football",
        "Sara",
        "Nielsen",
        date(2013, 9, 14),
        "da",
        "+4522334455",
        "7120",
        None,
        (),
        None,
    ),
    (
        "FP-9HJW-5C",
        ApplicationKind.LEISURE_PASS,
        "swimming-kids",
        "Yusuf",
        "Ahmadi",
        date(2016, 2, 1),
        "en",
        "+4531415926",
        "7100",
        "We need an interpreter (Dari).",
        (),
        None,
    ),
    (
        "UD-6RZP-3N",
        ApplicationKind.EQUIPMENT,
        None,
        "Omar",
        "Haddad",
        date(2013, 1, 20),
        "ar",
        "+4520123456",
        "7100",
        None,
        (("حذاء كرة قدم", 450), ("واقي الساق", 120)),
        None,
    ),
    (
        "FP-2BQE-8V",
        ApplicationKind.LEISURE_PASS,
        "boys-football",
        "Ali",
        "Hassan",
        date(2012, 11, 30),
        "ar",
        "+4526789012",
        "7100",
        None,
        (),
        "Hvilket hold – U12 eller U13?",
    ),
]


def _demo_applications(schemes: dict[str, Scheme], activities: dict[str, Activity]) -> None:
    """Sent applications for the guides' demo queue (one of them answered a question)."""
    from portal.applications.services import SCHEME_FOR_KIND

    by_kind = {scheme.kind: scheme for scheme in schemes.values()}
    for index, row in enumerate(DEMO_APPLICATIONS):
        reference, kind, slug, first, last, born, locale, phone, postcode, message, items, asked = (
            row
        )
        submitted_at = utcnow() - timedelta(days=len(DEMO_APPLICATIONS) - index)
        household = Household(postcode=postcode)
        activity = activities.get(slug) if slug else None
        application = Application(
            kind=kind,
            status=ApplicationStatus.SUBMITTED,
            reference=reference,
            household=household,
            participant=Participant(
                household=household, first_name=first, last_name=last, birth_on=born
            ),
            applicant=Applicant(household=household, phone=phone, preferred_locale=locale),
            relation=Relation.PARENT,
            activity=activity,
            scheme=activity.scheme
            if activity is not None and activity.scheme
            else by_kind[SCHEME_FOR_KIND[kind]],
            message_to_guide=message,
            already_paid=True if items else None,
            items=[EquipmentItem(description=d, price_kr=p) for d, p in items],
            amount_requested_kr=min(sum(p for _, p in items), 500)
            if items
            else (activity.fee_kr if activity else None),
            submitted_at=submitted_at,
            current_step="message",
            question_from_guide=asked,
        )
        _sent(application, submitted_at)
    _demo_same_child(by_kind)


def _sent(application: Application, submitted_at: datetime) -> None:
    """Seeded as sent at ``submitted_at``: the history says so, with the same writer as ever,
    and the child is matched with the people known before, as on a real submission."""
    change = record_change(
        application, "application", Action.SUBMIT, ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED, actor=Actor.CITIZEN, actor_id=None, reason=None,
    )  # fmt: skip
    change.created_at = submitted_at
    db.session.add(application)
    matching.link(application)


#: A child who applied twice for equipment: first in Latin letters (approved in the demo), then
#: with her name in Arabic and its Latin spelling. Same birth date and phone: the same person,
#: and the equipment cap (500 kr) counts both.
DEMO_SAME_CHILD = ("UD-8AMR-4K", "UD-5AMR-9P")


def _demo_same_child(by_kind: dict[SchemeKind, Scheme]) -> None:
    first_sent, second_sent = utcnow() - timedelta(days=20), utcnow() - timedelta(hours=3)
    rows = (
        (DEMO_SAME_CHILD[0], ("Amira", "Haddad"), None, (("Cricketbat", 300),), first_sent),
        (
            DEMO_SAME_CHILD[1],
            ("أميرة", "حداد"),
            ("Amira", "Haddad"),
            (("حذاء رياضي", 350),),
            second_sent,
        ),
    )
    for reference, (first, last), latin, items, submitted_at in rows:
        household = Household(postcode="7100")
        application = Application(
            kind=ApplicationKind.EQUIPMENT,
            status=ApplicationStatus.SUBMITTED,
            reference=reference,
            household=household,
            participant=Participant(
                household=household,
                first_name=first,
                last_name=last,
                latin_first_name=latin[0] if latin else None,
                latin_last_name=latin[1] if latin else None,
                birth_on=date(2015, 5, 3),
            ),
            applicant=Applicant(household=household, phone="+4520123456", preferred_locale="ar"),
            relation=Relation.PARENT,
            scheme=by_kind[SchemeKind.EQUIPMENT],
            already_paid=False,
            items=[EquipmentItem(description=d, price_kr=p) for d, p in items],
            amount_requested_kr=sum(p for _, p in items),
            submitted_at=submitted_at,
            current_step="message",
        )
        _sent(application, submitted_at)


def load_demo_data(year: int | None = None) -> None:
    """Add the demo data to an empty database, in one transaction."""
    year = year or date.today().year
    db.session.add(
        MunicipalitySettings(
            name="Demo Kommune",
            email="fritid@demo-kommune.example",
            phone="+4570000000",
            address="Rådhustorvet 1, 7100 Vejle",
        )
    )
    schemes: dict[str, Scheme] = {}
    for code, kind, prefix, pool, cap, target, texts in SCHEMES:
        scheme = Scheme(code=code, kind=kind, reference_prefix=prefix)
        scheme.translations = [
            SchemeTranslation(locale=loc, name=n, description=d, success_criterion=c)
            for loc, (n, d, c) in texts.items()
        ]
        scheme.years = [
            SchemeYear(year=year, pool_kr=pool, cap_per_person_kr=cap, target_people=target)
        ]
        schemes[code] = scheme
        db.session.add(scheme)

    associations: dict[str, Association] = {}
    for key, (name, cvr, address, postcode, city, email, phone) in ASSOCIATIONS.items():
        associations[key] = Association(
            name=name, cvr=cvr, address=address, postcode=postcode, city=city,
            email=email, phone=phone,
        )  # fmt: skip
        db.session.add(associations[key])

    activities: dict[str, Activity] = {}
    for item in ACTIVITIES:
        place, address, postcode, city = item.place
        activities[item.slug] = activity = Activity(
            slug=item.slug,
            association=associations[item.association],
            scheme=schemes[item.scheme] if item.scheme else None,
            min_age=item.ages[0],
            max_age=item.ages[1],
            audience=item.audience,
            place=place,
            address=address,
            postcode=postcode,
            city=city,
            fee_kr=item.fee_kr,
            capacity=item.capacity,
            free_places=item.free_places,
            is_open=item.is_open,
        )
        activity.translations = [
            ActivityTranslation(locale=loc, name=name, description=description)
            for loc, (name, description) in item.text.items()
        ]
        activity.sessions = [
            ActivitySession(weekday=day, start_time=_time(start), end_time=_time(end))
            for day, start, end in item.sessions
        ]
        db.session.add(activity)

    for reason_code, reason_kind, reason_texts in REASONS:
        reason = ReasonTemplate(code=reason_code, kind=reason_kind)
        reason.translations = [
            ReasonTemplateTranslation(locale=loc, text=text) for loc, text in reason_texts.items()
        ]
        db.session.add(reason)

    _demo_applications(schemes, activities)

    hasher = PasswordHasher()
    by_cvr = {a.cvr: a for a in associations.values()}
    for user_email, password, role, user_name, user_cvr in DEMO_USERS:
        db.session.add(
            User(
                email=user_email,
                name=user_name,
                role=role,
                password_hash=hasher.hash(password) if password else None,
                totp_secret=DEMO_TOTP_SECRET if role is not Role.ASSOCIATION else None,
                association=by_cvr[user_cvr] if user_cvr else None,
                phone=DEMO_CLUB_PHONE if role is Role.ASSOCIATION else None,
            )
        )
    db.session.commit()
    _demo_approval()
    _demo_history()


#: The demo's past: decided applications from 5 weeks to 17 months ago, so that the report has a
#: season of history (starts, stops, season-end marks, money paid and returned) from the start.
DEMO_HISTORY = 240


def _demo_history() -> None:
    from portal import volume

    volume.generate(DEMO_HISTORY, seed=14, history=True, progress=lambda _n: None)


#: Approved by the demo guide in the demo: the club has a message with a link to answer.
DEMO_APPROVED = "PC-3XZD-7R"


def _demo_approval() -> None:
    """One girls' cricket place approved through the real decision (the money reserved, the
    family told in Arabic, the club's contact sent a link to the enrolment), and the first of
    the two equipment applications of the same child."""
    from portal.review import services as review

    guide = db.session.execute(
        select(User).where(User.email == "guide@demo.fritidsportalen.dk")
    ).scalar_one()
    for reference in (DEMO_APPROVED, DEMO_SAME_CHILD[0]):
        application = db.session.execute(
            select(Application).where(Application.reference == reference)
        ).scalar_one()
        asked = application.amount_requested_kr or 0
        outcome = review.approve(application, asked, guide_id=guide.id)
        if not isinstance(outcome, review.Decided):
            raise RuntimeError(f"the demo approval was refused: {outcome}")
