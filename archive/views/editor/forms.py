"""Forms of the editors' area (Flask-WTF: CSRF on every form; Dutch messages)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
)

from ...auth import MIN_PASSWORD_LENGTH
from ...models import (
    EPISODE_TYPES,
    EVENT_PLACES,
    MAX_EPISODE_NUMBER,
    PERSPECTIVES,
    ROLES,
    SLUG_PATTERN,
)
from .. import params
from .chapters import format_chapters, parse_chapters  # noqa: F401 (format_chapters: re-exported)

REQUIRED = "Vul dit veld in."


def options(pairs) -> list[SelectChoice]:  # type: ignore[no-untyped-def]
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

PUBLICATION_CHOICES = [
    ("draft", "Concept (niet zichtbaar)"),
    ("now", "Nu publiceren"),
    ("schedule", "Inplannen op datum en tijd"),
]
PERSPECTIVE_CHOICES = [("", "— geen —"), *PERSPECTIVES.items()]


class Form(FlaskForm):
    class Meta:
        locales = ("nl",)  # WTForms' own Dutch messages (dates, numbers, choices)


class LoginForm(Form):
    email = EmailField("E-mailadres", validators=[DataRequired(REQUIRED)])
    password = PasswordField("Wachtwoord", validators=[DataRequired(REQUIRED)])
    submit = SubmitField("Inloggen")


class CodeForm(Form):
    code = StringField(
        "Code",
        description="De 6 cijfers uit je app, of een van je herstelcodes.",
        validators=[DataRequired(REQUIRED), Length(max=40)],
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )
    submit = SubmitField("Bevestigen")


class StartTwoFactorForm(Form):
    submit = SubmitField("Tweestapsverificatie instellen")


class ConfirmTwoFactorForm(Form):
    code = StringField(
        "Code uit je app",
        validators=[DataRequired(REQUIRED), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField("Aanzetten")


class TwoFactorOffForm(Form):
    password = PasswordField("Wachtwoord", validators=[DataRequired(REQUIRED)])
    code = StringField(
        "Code uit je app of een herstelcode",
        validators=[DataRequired(REQUIRED), Length(max=40)],
        render_kw={"autocomplete": "one-time-code"},
    )
    submit = SubmitField("Tweestapsverificatie uitzetten")


class PasswordForm(Form):
    current = PasswordField("Huidig wachtwoord", validators=[DataRequired(REQUIRED)])
    new = PasswordField(
        "Nieuw wachtwoord",
        validators=[
            DataRequired(REQUIRED),
            Length(min=MIN_PASSWORD_LENGTH, message="Minstens %(min)d tekens."),
        ],
    )
    repeat = PasswordField(
        "Herhaal nieuw wachtwoord",
        validators=[EqualTo("new", message="De wachtwoorden zijn niet gelijk.")],
    )
    submit = SubmitField("Wachtwoord wijzigen")


class EditorAccountForm(Form):
    email = EmailField(
        "E-mailadres", validators=[DataRequired(REQUIRED), Email("Geen geldig e-mailadres.")]
    )
    display_name = StringField("Naam", validators=[DataRequired(REQUIRED), Length(max=120)])
    role = SelectField("Rol", choices=options(ROLES.items()))
    password = PasswordField(
        "Wachtwoord (leeg laten om niet te wijzigen)",
        validators=[
            Optional(),
            Length(min=MIN_PASSWORD_LENGTH, message="Minstens %(min)d tekens."),
        ],
    )
    active = BooleanField("Actief", default=True)
    two_factor_off = BooleanField("Tweestapsverificatie uitzetten (bij een verloren telefoon)")
    submit = SubmitField("Opslaan")


def _needed_to_schedule(form, field) -> None:  # type: ignore[no-untyped-def]
    """Like ``Optional``, except that scheduling needs the date.

    A validator in the chain, not an inline ``validate_scheduled_at``:
    ``Optional`` would stop the chain before an inline validator runs.
    """
    if field.raw_data and field.raw_data[0].strip():
        return
    if form.publication.data == "schedule":
        raise StopValidation("Kies een datum en tijd om in te plannen.")
    field.errors[:] = []
    raise StopValidation()


class PublicationMixin:
    """Status and schedule, shared by stories and episodes."""

    publication = RadioField("Publicatie", choices=options(PUBLICATION_CHOICES), default="draft")
    scheduled_at = DateTimeLocalField(
        "Datum en tijd (Nederlandse tijd)",
        format=DATETIME_FORMAT,
        validators=[_needed_to_schedule],
    )
    embargo_until = DateTimeLocalField(
        "Embargo: niet online vóór (Nederlandse tijd)",
        format=DATETIME_FORMAT,
        validators=[Optional()],
    )


SLUG_HELP = "Alleen kleine letters, cijfers en streepjes; leeg laten om uit de titel te maken."


class VersionMixin:
    """The version of the item the editor opened (optimistic locking)."""

    version = HiddenField()

    @property
    def opened_version(self) -> int | None:
        return params.version(str(self.version.data or ""))


class ContentMixin(VersionMixin):
    title = StringField("Titel", validators=[DataRequired(REQUIRED), Length(max=200)])
    slug = StringField(
        "Adres (slug)",
        description=SLUG_HELP,
        validators=[
            Optional(),
            Length(max=80),
            Regexp(SLUG_PATTERN, message=SLUG_HELP),
        ],
    )
    summary = TextAreaField("Samenvatting", validators=[Length(max=1000)])
    perspective = SelectField("Perspectief", choices=options(PERSPECTIVE_CHOICES), default="")
    tags = StringField("Onderwerpen (gescheiden door komma's)")
    campaign_id = SelectField("Campagne", coerce=int, default=0)
    content_note = TextAreaField("Inhoudswaarschuwing", validators=[Length(max=1000)])


class StoryForm(Form, ContentMixin, PublicationMixin):
    author_name = StringField(
        "Naam van de verteller (een schuilnaam is gewoon)",
        default="Anoniem",
        validators=[DataRequired(REQUIRED), Length(max=120)],
    )
    body = TextAreaField("Tekst (Markdown)", validators=[DataRequired(REQUIRED)])
    related_episodes = SelectMultipleField("Gerelateerde afleveringen", coerce=int)
    save = SubmitField("Opslaan")
    preview = SubmitField("Voorbeeld bekijken")


class EpisodeForm(Form, ContentMixin, PublicationMixin):
    show_notes = TextAreaField("Shownotes (Markdown)")
    season = IntegerField(
        "Seizoen",
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_EPISODE_NUMBER, message="Tussen %(min)d en %(max)d."),
        ],
    )
    number = IntegerField(
        "Afleveringnummer",
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_EPISODE_NUMBER, message="Tussen %(min)d en %(max)d."),
        ],
    )
    episode_type = SelectField("Soort", choices=options(EPISODE_TYPES.items()), default="full")
    explicit = BooleanField("Expliciete inhoud")
    chapters = TextAreaField("Hoofdstukken (één per regel: 12:34 Titel | https://…)")
    transcript_file = FileField("Transcript uploaden (WebVTT of SRT)")
    transcript_text = TextAreaField("Of plak het transcript (WebVTT, SRT of platte tekst)")
    save = SubmitField("Opslaan")

    def validate_chapters(self, field) -> None:  # type: ignore[no-untyped-def]
        field.parsed = parse_chapters(field.data)


class UploadForm(Form):
    audio = FileField("Audiobestand", validators=[FileRequired("Kies een audiobestand.")])
    submit = SubmitField("Uploaden")


class WithdrawForm(Form, VersionMixin):
    reason = TextAreaField(
        "Reden (alleen zichtbaar voor de redactie)", validators=[DataRequired(REQUIRED)]
    )
    on_request = BooleanField("Op verzoek van de verteller")
    submit = SubmitField("Nu offline halen")


class PersonsForm(Form, VersionMixin):
    """The persons of an episode; the rows themselves are read from ``person-<n>-<field>``."""

    submit = SubmitField("Sprekers opslaan")


class WithdrawNameForm(Form, VersionMixin):
    label = StringField(
        "Toon voortaan als",
        default="Verteller",
        validators=[DataRequired(REQUIRED), Length(max=120)],
        description="Een neutrale naam, bijvoorbeeld Verteller of Ervaringsdeskundige.",
    )
    submit = SubmitField("Naam intrekken")


class ConfirmForm(Form, VersionMixin):
    confirm = BooleanField(
        "Ja, definitief verwijderen", validators=[DataRequired("Vink aan om te bevestigen.")]
    )
    submit = SubmitField("Verwijderen")


def _slug_field() -> StringField:
    return StringField(
        "Adres (slug)",
        description=SLUG_HELP,
        validators=[Optional(), Length(max=80), Regexp(SLUG_PATTERN, message=SLUG_HELP)],
    )


class EventForm(Form, VersionMixin):
    """An agenda event; times in Dutch local time, or whole days."""

    title = StringField("Titel", validators=[DataRequired(REQUIRED), Length(max=200)])
    slug = _slug_field()
    all_day = BooleanField("Hele dag(en)")
    starts_on = DateField("Eerste dag", validators=[DataRequired(REQUIRED)])
    starts_time = StringField(
        "Begintijd (bijvoorbeeld 19:30; leeg bij een hele dag)",
        validators=[Optional(), Regexp(r"^\d{1,2}:\d{2}$", message="Schrijf de tijd als 19:30.")],
    )
    ends_on = DateField("Laatste dag", validators=[DataRequired(REQUIRED)])
    ends_time = StringField(
        "Eindtijd (bijvoorbeeld 21:00; leeg bij een hele dag)",
        validators=[Optional(), Regexp(r"^\d{1,2}:\d{2}$", message="Schrijf de tijd als 21:00.")],
    )
    place_kind = SelectField("Waar", choices=options(EVENT_PLACES.items()), default="national")
    place = StringField("Plaats (bij 'Op locatie')", validators=[Length(max=200)])
    online_url = StringField("Link (bij 'Online')", validators=[Length(max=500)])
    organiser = StringField("Organisatie", validators=[Length(max=200)])
    description = TextAreaField("Beschrijving (Markdown)", validators=[Length(max=20000)])
    registration_url = StringField("Aanmelden via (link)", validators=[Length(max=500)])
    campaign_id = SelectField("Editie", coerce=int, default=0)
    save = SubmitField("Opslaan")


class CancelEventForm(Form, VersionMixin):
    message = TextAreaField(
        "Bericht voor bezoekers (waarom, en of er een nieuwe datum komt)",
        validators=[Length(max=500)],
    )
    submit = SubmitField("Afgelasten")


class CampaignForm(Form):
    """An edition of the Week."""

    name = StringField("Naam", validators=[DataRequired(REQUIRED), Length(max=200)])
    slug = _slug_field()
    theme = StringField("Thema", validators=[Length(max=200)])
    starts_on = DateField("Eerste dag", validators=[DataRequired(REQUIRED)])
    ends_on = DateField("Laatste dag", validators=[DataRequired(REQUIRED)])
    location = StringField("Waar", default="Landelijk", validators=[Length(max=200)])
    introduction = TextAreaField("Inleiding (Markdown)", validators=[Length(max=20000)])
    save = SubmitField("Opslaan")


class FeedImportForm(Form):
    """The feed of a podcast to bring into the archive."""

    url = StringField(
        "Adres van de feed",
        validators=[
            DataRequired(REQUIRED),
            Length(max=2000),
            Regexp(r"^https?://\S+$", message="Vul een adres in dat begint met https://."),
        ],
    )
    submit = SubmitField("Importeren")
