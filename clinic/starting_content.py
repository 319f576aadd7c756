"""Starting content for the Acupuncture Balanced Health website.

Plain Python literals, loaded into the database as the clinic's starting content (the
clinic's profile and hours, a sample practitioner and their diary, the treatment types,
the condition pages, simple pages, urgent-care signs and questions); staff edit all of it
afterwards in the admin. Markdown is allowed in the
"body" and "acupuncture_help" fields. Facts come from the clinic's brief; the wording
is written for patients reading on a phone (condition pages at or below a grade 8
reading level). The phone number, e-mail and address are reserved example values.
"""

# The clinic's public profile: name, contact details and address.
CLINIC = {
    "name": "Acupuncture Balanced Health",
    "tagline": "Gentle acupuncture care for back pain",
    "intro": (
        "We use acupuncture to treat back pain, from a sudden strain or injury to pain that has "
        "lasted for years. It can help ease pain and stiffness so you can move more freely."
    ),
    "phone": "+1 555-0100",
    "email": "hello@balancedhealth.example",
    "street_address": "100 Example Avenue, Suite 2",
    "locality": "Springfield",
    "region": "MD",
    "postal_code": "21000",
    "country": "US",
}

# Opening hours: (weekday, opens, closes); 0 is Monday and 6 is Sunday.
# A day with a lunch break has two ranges. Sunday has no entry, so it is closed.
HOURS = [
    (0, "09:00", "13:00"),
    (0, "14:00", "18:00"),
    (1, "10:00", "19:00"),
    (2, "09:00", "13:00"),
    (2, "14:00", "18:00"),
    (3, "10:00", "19:00"),
    (4, "09:00", "15:00"),
    (5, "09:00", "12:00"),
]

# A starting practitioner profile, with a placeholder name until staff add the real one.
PRACTITIONER = {
    "name": "Sample Practitioner",
    "credentials": "L.Ac.",
    "bio": (
        "Sample Practitioner is a licensed acupuncturist who focuses on helping people with back "
        "pain. Every first visit starts with listening: where it hurts, how it started and what "
        "you want to get back to doing. Your treatment is then planned around you and adjusted as "
        "you go."
    ),
}

# The kinds of visit patients book, in the order the booking form lists them. The minutes
# after a visit are for notes and getting the room ready; a new patient is offered the
# first visit, a returning patient the follow-ups.
TREATMENT_TYPES = [
    {
        "name": "First consultation and treatment",
        "description": (
            "Your first visit: we talk about your pain and your health, check how you move and "
            "start treatment if it is right for you."
        ),
        "minutes": 75,
        "buffer_minutes": 15,
        "for_new_patients": True,
    },
    {
        "name": "Follow-up treatment",
        "description": (
            "For returning patients: we ask how you have been since last time and carry on with "
            "your plan."
        ),
        "minutes": 45,
        "buffer_minutes": 15,
        "for_new_patients": False,
    },
    {
        "name": "Short follow-up",
        "description": (
            "A shorter visit for returning patients, when a quick check and treatment is enough."
        ),
        "minutes": 30,
        "buffer_minutes": 10,
        "for_new_patients": False,
    },
]

# The sample practitioner's diary: the clinic's starting hours (HOURS), every treatment type
# above, one patient at a time.
SAMPLE_DIARY = {"patients_at_once": 1}

# The five condition pages, in the order they appear on the site.
CONDITIONS = [
    {
        "slug": "muscle-spasms",
        "reviewed_on": "2026-12-01",  # when a practitioner last checked the text
        "name": "Muscle spasms",
        "illustration": "muscle-spasms",
        "summary": (
            "A back spasm is a sudden tightening of a muscle that will not let go. It happens to "
            "many people, and the pain can be sharp."
        ),
        "seo_title": "Acupuncture for muscle spasms in the back",
        "meta_description": (
            "Back spasms can be sharp and make it hard to move. Learn what causes them and how "
            "acupuncture may help ease the pain and stiffness."
        ),
        "body": """A muscle spasm happens when a muscle tightens by itself, without you choosing to
move it. Doctors call this an involuntary contraction.

In the back, a spasm can feel like a sudden grip, a hard knot or a sharp cramp. It may last a
few seconds. It can also come and go for days.

Many people get back spasms at some point, and the pain can be strong.

## How it affects your day

A back spasm can make it hard to bend, twist or stand up straight. Getting out of bed or out of
a car may take longer than usual.

You may need to take a break from sports, gardening or other things you enjoy. It can be hard to
sleep if the spasm flares up when you roll over.

Many people start to move in a stiff way to protect the sore spot. That is a normal reaction.
But holding your body stiff for a long time can make other muscles tired and sore too.""",
        "causes": [
            "Overuse of the muscle",
            "Dehydration (not drinking enough fluids)",
            "Exercise your body is not used to",
            "An illness that affects the whole body (systemic illness)",
            "Sports injuries",
            "Car accidents",
        ],
        "acupuncture_help": """Acupuncture uses very thin needles placed at chosen points on the
body. For back spasms, it can help the tight muscle relax. It may also ease pain and stiffness, so
moving around feels easier.

Your plan is made for you. We ask what set off the spasm, how often it comes back and how your
health is overall. Then we choose the points and the number of visits that fit your needs.

We may also suggest simple things to try at home, such as drinking enough water or easing back
into exercise slowly.""",
        "image_alt": (
            "Drawing of the lower back with one muscle pulled into a tight knot and a small mark "
            "where it hurts."
        ),
    },
    {
        "slug": "muscle-tension",
        "reviewed_on": "2026-11-25",
        "name": "Muscle tension",
        "illustration": "muscle-tension",
        "summary": (
            "Muscle tension is when a muscle stays tight for too long. A tight back can ache and "
            "feel stiff, and it can even lead to headaches."
        ),
        "seo_title": "Acupuncture for muscle tension in the back and neck",
        "meta_description": (
            "Tight back and neck muscles can ache, feel stiff and bring on headaches. Learn what "
            "causes muscle tension and how acupuncture may help."
        ),
        "body": """Your muscles tighten and relax all day long as you move. That is normal and
healthy.

Muscle tension is when a muscle stays tight for a long time and does not fully relax. A muscle
that cannot rest gets tired and sore.

## How it feels

In the back, tension can feel like a dull ache or a stiff, heavy feeling. You may have sore
spots that hurt when you press on them. The tightness often spreads up into the neck and
shoulders.

Tension can also cause tension headaches. These often feel like a tight band or steady pressure
around the head.

## How it affects your day

A tense back and neck can make it hard to turn your head, sit at a desk or get comfortable in
bed. You may feel stiff when you get up in the morning.

Tension tends to build slowly. You may not notice it until the ache is already there. Long days
at a screen or a stressful week can make it worse.""",
        "causes": [
            "Sitting or lying in one position too long",
            "Stress",
            "Slouching at a desk or table",
            "Looking down at a phone or laptop for a long time",
        ],
        "acupuncture_help": """Acupuncture can help tight muscles let go. It may ease the ache and
stiffness in your back, neck and shoulders. Some people also find that it helps them feel calmer.
That can matter when stress is part of the cause.

We plan your care around you. We look at where you hold tension, how you sit and work, and your
health as a whole.

We may also show you a few simple stretches, or ways to take short breaks during the day. The
aim is to help you feel looser and move with less pain.""",
        "image_alt": (
            "Drawing of a person hunched over a desk, with the tight muscles of the neck and "
            "shoulders highlighted."
        ),
    },
    {
        "slug": "arthritis",
        "reviewed_on": "2026-12-01",
        "name": "Arthritis",
        "illustration": "arthritis",
        "summary": (
            "Arthritis in the small joints of the spine (the facet joints) or in the sacroiliac "
            "joint, where the spine meets the pelvis, can cause pain and stiffness in the lower "
            "back."
        ),
        "seo_title": "Acupuncture for arthritis in the lower back",
        "meta_description": (
            "Arthritis in the facet joints of the spine or the sacroiliac joint can make standing "
            "and bending hard. Learn what it is and how acupuncture may help."
        ),
        "body": """Arthritis is a problem with the joints. A joint is a place where two bones meet.
Arthritis makes joints painful, swollen and stiff.

In a healthy joint, the ends of the bones are covered with cartilage. Cartilage is a smooth,
firm tissue. It lets the bones glide and works like a cushion. Over time, this cartilage can
wear away. Then the joint no longer moves as smoothly, and it can become sore and stiff. This
is the most common kind of arthritis. Doctors call it osteoarthritis.

## The facet joints

Your spine is a stack of small bones. At the back, each bone is linked to the one above and the
one below by a pair of small joints. These are the facet joints. They guide how your back bends
and twists. Arthritis in the facet joints of the lower back can make it stiff and sore.

## The sacroiliac joint

The sacroiliac joint sits low in your back. It joins the bottom of your spine to your pelvis
(the ring of bones at your hips). You have one on each side.

## How it affects your day

Arthritis in these joints can cause pain and stiffness in your lower back. It may hurt to stand
for a long time. Bending over or lifting things can be hard. So can getting up from a chair.

Some people feel most stiff after sitting or lying still for a while.

## Inflammatory arthritis

Some types of arthritis are not wear and tear. The body's defense system, which normally fights
germs, causes swelling in the joints instead. This is called inflammatory arthritis. It needs a
doctor's care. See your doctor if your back is stiff for more than half an hour each morning, or
if the pain gets better when you move and worse when you rest.""",
        "causes": [
            "Cartilage in the facet joints or the sacroiliac joint wearing away",
            "Getting older",
            "An earlier injury to the lower back or pelvis",
        ],
        "acupuncture_help": """Acupuncture cannot rebuild worn cartilage. But it can help ease the
pain and stiffness that come with arthritis. This may make it easier to stand, walk and do everyday
tasks.

Your plan is made for you. We ask about your pain, what makes it worse and your health as a
whole. Arthritis often lasts a long time, so we talk openly about what to expect and how often
to come.

Acupuncture can be used alongside the care you already get from your doctor.""",
        "image_alt": (
            "Drawing of the pelvis and lower spine, with the sacroiliac joint where they meet "
            "highlighted."
        ),
    },
    {
        "slug": "herniated-disks",
        "reviewed_on": "2026-12-01",
        "name": "Herniated disks",
        "illustration": "herniated-disks",
        "summary": (
            "A herniated disk is when the soft center of a disk in the spine pushes out through "
            "its tough outer layer. It can press on a nerve and cause pain and weakness."
        ),
        "seo_title": "Acupuncture for herniated disks in the back",
        "meta_description": (
            "A herniated disk can press on a nerve and cause back pain and weakness. Learn what "
            "it is, what causes it and how acupuncture may help."
        ),
        "body": """Your backbone is made of vertebrae (small bones stacked one on top of another).
Between each pair of bones sits a disk. A disk is a soft, rubbery pad.

Disks work like shock absorbers. They soften the jolts on your spine as you move, which helps
keep the bones from getting hurt. They also let your back bend and twist.

Each disk has a tough outer layer and a soft, jelly-like center. With age or an injury, the
outer layer can get a weak spot or a small tear. Sometimes the soft center pushes out through a
weak spot or tear in the tough outer layer. Then the disk is called herniated. You may also hear
it called a slipped disk, but the disk does not slip out of place.

## How it feels

A herniated disk does not always hurt. But if it presses on a nerve nearby, it can cause pain
and weakness. The pain may stay in your back, or it may run down one leg. Some people also feel
tingling or numbness.

## How it affects your day

Sitting, bending or lifting can make the pain worse. A long drive or a day at a desk may be hard
to get through. Pain can also make it hard to get comfortable at night.""",
        "causes": [
            "Getting older, as disks slowly dry out and weaken",
            "An earlier back injury",
            "Lifting something heavy with a bent or twisted back",
            "Carrying extra body weight",
        ],
        "acupuncture_help": """Acupuncture does not move a disk back into place. What it can do is
help ease the pain and muscle tightness that often come with a herniated disk. With less pain, it
can be easier to keep moving day to day.

Your plan is built around you. We ask where the pain goes, what makes it better or worse, and
about your health as a whole.

If you also see a doctor or physical therapist, we are glad to fit in with that care. If your
symptoms change or get worse, we will tell you to check with your doctor.""",
        "image_alt": (
            "Drawing of stacked vertebrae, with the soft center of the disk between two of them "
            "pushing out and pressing on a nerve."
        ),
    },
    {
        "slug": "spinal-stenosis",
        "reviewed_on": "2026-12-01",
        "name": "Spinal stenosis",
        "illustration": "spinal-stenosis",
        "summary": (
            "Spinal stenosis means the spaces inside the spine have become narrow. Less room can "
            "put pressure on nerves, which may cause pain, numbness or weakness."
        ),
        "seo_title": "Acupuncture for spinal stenosis",
        "meta_description": (
            "Spinal stenosis is a narrowing in the spine that can press on nerves. Learn how it "
            "feels and about options without surgery, such as acupuncture."
        ),
        "body": """Your spinal cord and nerves run through a tunnel inside your backbone. This
tunnel is called the spinal canal. Nerves leave it through small gaps between the bones.

Stenosis is a medical word for narrowing. Spinal stenosis means some of these spaces have become
narrow. When there is less room, the nerves or the spinal cord can get squeezed.

## How it feels

When nerves are pressed, you may feel pain, numbness or weakness. This can be in your back, or
it can spread into your legs. If the narrowing is in your neck, it can affect your arms.

## How it affects your day

When the narrowing is in the lower back, many people notice it most when they stand or walk.
Walking for a long time may become hard.

Some people find that leaning forward eases the pain for a while, such as when pushing a
shopping cart. Symptoms often come on slowly and can change from day to day.

## Why it happens

Most often, the spaces narrow because of changes that build up over the years. Worn joints can
grow small bony lumps. The ligaments that hold the bones together can thicken. A disk can push
out into the space. These changes are most common after the age of 50.""",
        "causes": [
            "Wear and tear arthritis in the spine",
            "Bony growths called bone spurs",
            "Thickened ligaments (the tough bands that hold the bones together)",
            "A herniated disk pushing into the space",
            "A spinal canal that has been small since birth (less common)",
        ],
        "acupuncture_help": """Surgery is not the only choice for spinal stenosis. There are
options that do not involve an operation. These include acupuncture, rest and physical therapy.

Acupuncture cannot widen the spinal canal. But it can help ease pain, and it may make standing
and walking more comfortable.

We shape your plan around what you feel and your health in general. We are glad to work
alongside your doctor or physical therapist.""",
        "image_alt": (
            "Drawing of a vertebra seen from above, with a narrowed spinal canal pressing on the "
            "spinal cord."
        ),
    },
]

# Simple content pages.
PAGES = [
    {
        "slug": "about",
        "title": "About us",
        "seo_title": "About us and our approach",
        "meta_description": (
            "How we treat back pain at Acupuncture Balanced Health: care planned around you, what "
            "happens at a first visit and what research says."
        ),
        "body": """Our clinic is here for people with back pain. Some of our patients have lived
with pain for months or years. This is called chronic pain. Others have short-term pain after an
injury, such as a strain or a car accident. We treat both.

## Our approach

No two backs are the same. Two people with the same problem can feel it in very different ways.
That is why we make every treatment plan for the person in front of us.

We look at your symptoms and at your health as a whole. Then we decide on the treatment, how
often you come and what to watch for between visits. As things change, we change the plan with
you.

Our aim is to help ease pain and stiffness so you can move more freely. We will always be honest
about what acupuncture can and cannot do.

## Your first visit

Here is what a first visit looks like:

1. **We talk.** We ask about your pain, when it started, what makes it better or worse and your
   general health. We also ask what you would like to get back to doing.
2. **A gentle exam.** We check how you move and where it hurts. Nothing is forced.
3. **Treatment.** If acupuncture is right for you, we can start that day. The needles are very
   thin, and most people feel little or no pain.
4. **A plan.** We explain what we suggest next and answer your questions.

If something you tell us needs a doctor first, we will say so.

## What the research says

Researchers from the University of Maryland School of Medicine reviewed randomized controlled
trials of acupuncture. In trials like these, people are put into groups by chance, so the
results can be compared fairly.

The researchers called acupuncture “clearly effective” for chronic low-back pain. They also
found that the relief went beyond the placebo effect. The placebo effect is when people feel
better just because they expect to.

## What this means for you

Acupuncture helps many people with long-term back pain. But how much it helps can vary from
person to person, and we cannot promise a result. It tends to work best as part of a plan that
may also include gentle movement, rest and the care you get from your doctor. We check with you
how it is going, and we change the plan if it is not helping.

Side effects are usually mild, such as a little soreness where a needle went in. They are often
milder than the side effects that pain medicines or surgery can bring.""",
    },
    {
        "slug": "privacy",
        "title": "Privacy policy",
        "seo_title": "Privacy policy and your health information",
        "meta_description": (
            "What this website collects when you request an appointment, why we need it, who can "
            "see it, how long we keep it and how to ask us to delete it."
        ),
        "body": """This policy explains what information this website collects, why we collect it
and what we do with it. We have tried to keep it short and clear.

## Who we are

This website belongs to Acupuncture Balanced Health, an acupuncture clinic in Springfield,
Maryland. We are responsible for the information you give us through this site. If you have
questions, e-mail us at <hello@balancedhealth.example> or call
[+1 555-0100](tel:+15550100).

## Your health records and HIPAA

HIPAA is a US law that protects your health information. As a health care provider, we follow
it. Our Notice of Privacy Practices explains how we may use and share your health information,
and the rights you have over it. For example, you can ask to see your health records or get a
copy of them.

We give you the notice at your first visit. You can also ask for a copy at any time: ask us at
the front desk, e-mail <hello@balancedhealth.example> or call [+1 555-0100](tel:+15550100).

## What we collect when you request an appointment

When you ask for an appointment online, we collect:

- your name
- your e-mail address
- your phone number
- whether you are a new or returning patient
- the reason for your visit, which you choose from a list
- a short note, if you choose to add one
- the date and time you ask for
- the date and time you agreed to this policy

Please do not put medical details in the note. We will talk about your health in person at your
visit. If you would like to tell us something before then, please call us.

## What we do not collect

We keep this site simple on purpose:

- We do not use analytics or tracking cookies.
- We do not show ads.
- We do not use outside services such as maps, web fonts, videos or social media buttons.
- The site loads nothing from other websites.

The site uses only two cookies. One is a security cookie that protects our forms from misuse.
The other is a login cookie that only clinic staff use. Neither one is used to track you.

## Why we use your information

We use your details only to arrange and confirm your visit. This includes sending you e-mails
about your request. For example, we write to say we received it, that it is confirmed, or that
we need to find another time.

## Who can see it

Only clinic staff can see your request. We do not sell your details or share them for marketing.
Our e-mail provider delivers the e-mails about your request, to you and to our staff, so it
handles the details in those messages. The e-mails we send you do not name your health
condition.

## How long we keep it

We keep an appointment request for 12 months after your visit. After that, we delete it or
remove anything that could identify you.

This policy covers only what you send through this website. Notes made during your treatment are
health records. We keep them as the law requires, and our Notice of Privacy Practices explains
how we protect them.

## Your rights

You can ask to see the information we hold about you. You can ask us to correct it if it is
wrong, or to delete it. If you ask us to delete a request for a visit that has not happened yet,
that visit will be cancelled.

To make any of these requests, e-mail <hello@balancedhealth.example> or call
[+1 555-0100](tel:+15550100).

## How we keep it safe

This site uses an encrypted connection, so others cannot read what you send on its way to us.
Only clinic staff can sign in to see appointment requests, and each staff member has their own
login.

## Changes to this policy

If we change this policy, we will post the new version on this page. If a change affects how we
use information you have already given us, we will tell you by e-mail first.""",
    },
]

# Home page: what research says about acupuncture for low-back pain.
EVIDENCE = {
    "heading": "What the research says",
    "text": (
        "Researchers from the University of Maryland School of Medicine reviewed randomized "
        "controlled trials of acupuncture. They called it “clearly effective” for chronic "
        "low-back pain. The relief went beyond the placebo effect (feeling better just because "
        "you expect to). Acupuncture helps many people, but results vary from person to person. "
        "It works best as part of a plan made with you, and we cannot promise a result."
    ),
}

# Home page: every treatment plan is made for the person.
INDIVIDUAL_CARE = {
    "heading": "Care planned around you",
    "text": (
        "No two people feel back pain in the same way. We shape each plan around what you are "
        "feeling and your general health, and we adjust it as you go."
    ),
}

# Signs that back pain needs a doctor, not acupuncture, at three levels, after the NHS's
# back-pain advice: (level, sign), in the order shown. 1: call 911 or go to the emergency
# room now; 2: see a doctor today; 3: see a doctor if it is not better in a few weeks.
URGENT_CARE_SIGNS = [
    (1, "Numbness around your genitals or buttocks"),
    (1, "Loss of bladder or bowel control (you cannot hold in pee or poop)"),
    (1, "New weakness in both legs"),
    (1, "Back pain after a serious fall or accident"),
    (2, "Back pain with a fever"),
    (2, "Back pain and a history of cancer"),
    (2, "Back pain with weight loss you cannot explain"),
    (2, "Back pain that is worse at night and does not ease"),
    (3, "Your back pain is not better after a few weeks"),
    (3, "The pain stops you from doing your usual daily tasks"),
    (3, "You are worried about the pain or finding it hard to cope"),
]

# The questions page: what patients often ask before a first visit, in the order shown.
# Markdown is allowed in the answers. Prices and insurance cover are the clinic's to give:
# the answers send patients to ask, never name a figure.
QUESTIONS = [
    {
        "question": "What does a visit feel like?",
        "answer": """Your first visit starts with a talk. We ask about your back pain, your health
and what you want to get back to doing. We may also check how you move.

Then you lie or sit in a comfortable position, and we place a few very thin needles at chosen
points. They are much thinner than the needle used for a shot. Most people feel a tiny prick, or
nothing at all. Some feel a dull ache, warmth or tingling near a needle. That is normal.

The needles stay in while you rest, often for 15 to 30 minutes. Many people find this part
relaxing. If anything feels uncomfortable, tell us and we will change it.""",
    },
    {
        "question": "Is acupuncture safe?",
        "answer": """Acupuncture is very safe when a trained, licensed practitioner gives it. Our
practitioners are licensed acupuncturists.

We use sterile, single-use needles. Each one comes sealed in its own pack, is used once and is
then thrown away.

Side effects are usually mild and pass quickly. You may have:

- a little soreness where a needle went in
- a small bruise or a drop of blood
- a tired or light-headed feeling after a visit

Serious problems are rare. If you feel unwell during a visit, tell us at once.""",
    },
    {
        "question": "Who should not have acupuncture, or should tell us first?",
        "answer": """Acupuncture is not right for everyone, and some people need extra care.
Please tell us before your visit if one of these is true for you:

- You are pregnant or trying to get pregnant. Some points are not used in pregnancy.
- You have a bleeding disorder, such as hemophilia. Or you take a blood thinner, a medicine
  that keeps your blood from clotting.
- You have a pacemaker or another electrical implant. Then we do not use electro-acupuncture,
  which sends a mild electric current through the needles.

Please also tell us about any other health problem or medicine. Not sure if acupuncture is right
for you? Ask us or your doctor. If you have any of the warning signs that need urgent care, see a
doctor first.""",
    },
    {
        "question": "How many visits will I need?",
        "answer": """It depends on you. How long you have had the pain, what is causing it and how
your body responds all make a difference. So we cannot tell you a number at the start.

Many people come for a course of visits. We suggest a plan at your first visit and check with
you how it is going as we go. If you are getting better, we space the visits out. If acupuncture
is not helping, we tell you so and talk about other options.""",
    },
    {
        "question": "What does it cost, and will my insurance pay?",
        "answer": """Please ask us about our fees when you book, or call us. We are happy to tell
you the cost before your first visit.

Health insurance plans differ a lot. Some pay for acupuncture and some do not. Please check with
your insurance company before your visit. Ask whether your plan pays for acupuncture for back
pain, how many visits it allows and whether you need a note from your doctor first.""",
    },
]

# Fingerprints of what the first release (November 2026) loaded, before sites kept a
# fingerprint of each piece: load_clinic_content brings a newer text to such a site only where
# the piece still holds exactly this. Never change them.
FIRST_RELEASE_FINGERPRINTS = {
    "clinic profile": "e6d8433ce233b65fe85cab564ce3d3cc30622e9f8df7310d09cdbd4c93264661",
    "home page evidence": "dfbaa12fb03adad07aeb832b50b8427cfba79e3e3a2a6477305b0aa8615e8fb6",
    "home page approach": "bbcf702d72d5fc1ea4079349fec5bc633cf86cf87cf069bb114460e9953da17c",
    "opening hours": "0cb8d103f5bedae9eb202a9b84c38c50e2d9de2bbaae8b8135747cecd5cc8526",
    "sample practitioner": "7ab5f90bd17fd426e4cbd460c8fb2e827dd7612b8f4842ab02c0abb9b882af63",
    "condition muscle-spasms": "46d8c9d56f582ee63800954f9e0d0e79a475f71a313fef3d4fefc96df1d7006b",
    "condition muscle-tension": "d4d46762e9de8bd1943a4ec87bd5690271d6962b1297af85ea8cc70b1b6878c0",
    "condition arthritis": "c5e2ddd617fc9e7d5240e13ae9873952de9104841dd2f3ea03d8bb3030a2f870",
    "condition herniated-disks": "bcbb8d27dffcc9019caa37e24d249e43ad7231cf31630d2e391607225bf76890",
    "condition spinal-stenosis": "adc074449300efbdb889bf81a6a5fbb5354810432948f7d5f63ee69adbe9fc52",
    "page about": "f60b456ae7f8776aaedb6a7342eea78473007f79fe16fc224b1e61c5516bbb45",
    "page privacy": "24517f02afd29be165dc1c2beb5c3c922061d1e00e59ac4630f2f5f9ad8c87ef",
}  # fmt: skip
