"""API shapes of the workflow: claim detail, sources, rulings, ratings and action inputs.
Input serializers check types only; the rules run in reviews/services.py."""

from operator import attrgetter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from articles.models import Claim
from articles.selectors import claims_visible_to
from articles.serializers import ClaimSerializer, ClaimSpanSerializer
from factcheck.api import OptionalURLField, SlugChoiceField, StrictCharField

from .claimreview import claimreview, public_url, rating_bounds
from .models import Comment, Event, Rating, Ruling, Source
from .services.assignment import reviewer_cap
from .workflow import OPEN_STATES, TRANSITIONS, available_transitions

User = get_user_model()


def _username(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="username", read_only=True, **kwargs)


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["slug", "name", "value", "order", "colour", "description"]
        read_only_fields = fields


class SourceSerializer(serializers.ModelSerializer):
    added_by = _username(allow_null=True)
    url = OptionalURLField()

    class Meta:
        model = Source
        fields = [
            "id",
            "claim",
            "kind",
            "url",
            "title",
            "publisher",
            "excerpt",
            "accessed_on",
            "added_by",
            "created_at",
        ]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    actor = _username(allow_null=True, help_text="Empty for the system (the extraction worker).")

    class Meta:
        model = Event
        fields = ["action", "from_state", "to_state", "note", "actor", "created_at"]
        read_only_fields = fields


class AuditEventSerializer(serializers.ModelSerializer):
    """An event of the audit trail on its own: which article and claim it belongs to, and who did it."""

    actor_username = serializers.SlugRelatedField(
        source="actor",
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Empty for the system (the extraction worker).",
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "article",
            "claim",
            "action",
            "from_state",
            "to_state",
            "note",
            "actor",
            "actor_username",
            "created_at",
        ]
        read_only_fields = fields


class CommentSerializer(serializers.ModelSerializer):
    author = _username(allow_null=True)

    class Meta:
        model = Comment
        fields = ["id", "claim", "author", "body", "created_at"]
        read_only_fields = fields


class RulingSerializer(serializers.ModelSerializer):
    rating = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    rating_name = serializers.CharField(source="rating.name", read_only=True)
    reviewer = _username()
    approved_by = _username(allow_null=True)
    public_url = serializers.SerializerMethodField()
    claimreview = serializers.SerializerMethodField()

    class Meta:
        model = Ruling
        fields = [
            "id",
            "claim",
            "rating",
            "rating_name",
            "summary",
            "explanation",
            "status",
            "reviewer",
            "approved_by",
            "approved_at",
            "published_at",
            "return_note",
            "supersedes",
            "correction_note",
            "version",
            "created_at",
            "public_url",
            "claimreview",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True, help_text="The public page, once published."))
    def get_public_url(self, ruling: Ruling) -> str | None:
        return public_url(ruling) if ruling.status == Ruling.Status.PUBLISHED else None

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "additionalProperties": True,
            "description": "schema.org ClaimReview JSON-LD, once published.",
        }
    )
    def get_claimreview(self, ruling: Ruling) -> dict | None:
        if ruling.status != Ruling.Status.PUBLISHED:
            return None
        # The rating scale's bounds are the same for every ruling of one response: one query.
        if "rating_bounds" not in self.context:
            self.context["rating_bounds"] = rating_bounds()
        return claimreview(ruling, bounds=self.context["rating_bounds"])


# Serializer fields whose to_representation of a database value is that value.
_PLAIN_FIELDS = (
    serializers.IntegerField,
    serializers.FloatField,
    serializers.BooleanField,
    serializers.CharField,
    serializers.ChoiceField,
)
_DATE_FIELDS = (serializers.DateField, serializers.DateTimeField)


_SKIPPED = object()


def _iso_in_current_zone(field) -> bool:
    """Whether DRF writes this DateTimeField as ISO 8601 in the current time zone."""
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return (
        settings.USE_TZ
        and not hasattr(field, "timezone")
        and isinstance(output_format, str)
        and output_format.lower() == ISO_8601
    )


class FastRowsMixin:
    """DRF's ``to_representation`` with the per-field work planned once: the claim list spent
    most of its serializer time in DRF's generic per-value machinery and in building the
    serializer's fields on every response (docs/benchmarks.md, "API list endpoint"). Plain
    model columns are read as they are (the database already returns int, float, bool and
    str), all in one ``attrgetter`` call; a foreign key as its id column; a slug of a joined
    row (``SlugRelatedField``) from that row; dates through their field's own formatting;
    method fields through their method; anything else takes DRF's generic path. The output is
    the same dict, keys in the same order.

    When no field needs the generic path (which reads the serializer's context through the
    field), the plan holds nothing of one response and is kept on the class: later responses
    do not build the fields at all."""

    def to_representation(self, instance):
        plan = self.__dict__.get("_row_plan") or type(self).__dict__.get("_class_row_plan")
        if plan is None:
            plan = self._row_plan = self._make_plan()
        names, plain_names, plain, others = plan
        row = dict.fromkeys(names)
        if plain_names:
            values = plain(instance)
            row.update(zip(plain_names, values if len(plain_names) > 1 else (values,), strict=True))
        for name, read in others:
            value = read(self, instance)
            if value is _SKIPPED:  # DRF leaves such a field out, so does this
                del row[name]
            else:
                row[name] = value
        return row

    def _make_plan(self):
        names, plain_names, plain_attnames, others, generic = [], [], [], [], False
        columns = {f.name: f for f in self.Meta.model._meta.concrete_fields}
        for field in self._readable_fields:
            names.append(field.field_name)
            attname, read = self._plan(field, columns)
            if attname is not None:
                plain_names.append(field.field_name)
                plain_attnames.append(attname)
            else:
                others.append((field.field_name, read))
                generic = generic or getattr(read, "generic", False)
        plan = (names, plain_names, attrgetter(*plain_attnames) if plain_attnames else None, others)
        if not generic:
            type(self)._class_row_plan = plan
        return plan

    @staticmethod
    def _plan(field, columns):
        """(the attribute to read as it is, None) or (None, a function of serializer and row)."""
        if isinstance(field, serializers.SerializerMethodField):
            method = getattr(type(field.parent), field.method_name)
            return None, method
        column = columns.get(field.source_attrs[0]) if len(field.source_attrs) == 1 else None
        if column is not None and column.is_relation:
            if isinstance(field, serializers.PrimaryKeyRelatedField) and field.pk_field is None:
                return column.attname, None
            if type(field) is serializers.SlugRelatedField and "." not in field.slug_field:
                get_related, get_slug, name = attrgetter(column.name), attrgetter(field.slug_field), field.field_name

                def slug(serializer, instance):
                    # The claim list's query annotates the slug under the field's own name
                    # (selectors.claim_list); other queries join the related row.
                    if name in instance.__dict__:
                        return instance.__dict__[name]
                    related = get_related(instance)
                    return None if related is None else get_slug(related)

                return None, slug
        elif column is not None and type(field) in _PLAIN_FIELDS:
            return column.attname, None
        elif column is not None and type(field) is serializers.BigIntegerField:
            if not getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING):
                return column.attname, None
        elif column is not None and type(field) is serializers.DateTimeField and _iso_in_current_zone(field):
            get, to_representation = attrgetter(column.attname), field.to_representation

            def iso_datetime(serializer, instance):
                # DRF's to_representation without asking for the current time zone per value:
                # it is asked once per response (it was a fifth of the list's serializer time).
                value = get(instance)
                if value is None or value.tzinfo is None:
                    return None if value is None else to_representation(value)
                zone = serializer.__dict__.get("_current_zone")
                if zone is None:
                    zone = serializer.__dict__["_current_zone"] = timezone.get_current_timezone()
                text = value.astimezone(zone).isoformat()
                return text[:-6] + "Z" if text.endswith("+00:00") else text

            return None, iso_datetime
        elif column is not None and type(field) in _DATE_FIELDS:
            get, to_representation = attrgetter(column.attname), field.to_representation

            def date(serializer, instance):
                value = get(instance)
                return None if value is None else to_representation(value)

            return None, date

        def read(serializer, instance):  # DRF's own way (Serializer.to_representation)
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                return _SKIPPED
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            return None if check is None else field.to_representation(attribute)

        read.generic = True
        return None, read


class QueueClaimSerializer(FastRowsMixin, ClaimSerializer):
    """A claim in the workflow's queue: the list fields plus its version and overdue flag."""

    is_overdue = serializers.SerializerMethodField()

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "version", "merged_into", "is_overdue"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField(help_text="Past its due date and still open."))
    def get_is_overdue(self, claim: Claim) -> bool:
        if hasattr(claim, "is_overdue"):  # annotated by the queue's query (selectors.with_overdue)
            return bool(claim.is_overdue)
        if claim.due_date is None:
            return False
        today = self.context.get("today")
        if today is None:  # once per response, not per row
            today = self.context["today"] = timezone.localdate()
        return claim.due_date < today and claim.status in OPEN_STATES


class ClaimDetailSerializer(QueueClaimSerializer):
    sources = SourceSerializer(many=True, read_only=True)
    rulings = RulingSerializer(many=True, read_only=True, help_text="Newest first; returned ones are history.")
    events = EventSerializer(many=True, read_only=True, help_text="The audit trail, oldest first.")
    comments = CommentSerializer(many=True, read_only=True, help_text="The desk's discussion, oldest first.")
    available_actions = serializers.SerializerMethodField()

    class Meta(QueueClaimSerializer.Meta):
        fields = [*QueueClaimSerializer.Meta.fields, "sources", "rulings", "events", "comments", "available_actions"]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=list(TRANSITIONS)),
            help_text="Workflow transitions you may make on this claim now.",
        )
    )
    def get_available_actions(self, claim: Claim) -> list[str]:
        return [t.name for t in available_transitions(self.context["request"].user, claim)]


# --- Inputs -------------------------------------------------------------------------------


def _version(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The `version` you last read (or send it as `If-Match`); a 409 `conflict` if it has changed since.",
        **kwargs,
    )


class VersionSerializer(serializers.Serializer):
    version = _version()


class NoteSerializer(VersionSerializer):
    note = StrictCharField(required=False, allow_blank=True, max_length=5000)


class ReturnSerializer(VersionSerializer):
    note = StrictCharField(max_length=5000, help_text="What the reviewer should change.")


class AssignSerializer(NoteSerializer):
    reviewer = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), help_text="User id of a reviewer.")
    priority = serializers.ChoiceField(choices=Claim.Priority.choices, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)


class VisibleClaimField(serializers.PrimaryKeyRelatedField):
    """A claim id, found only among the claims the requesting user may see."""

    def get_queryset(self):
        return claims_visible_to(self.context["request"].user)


class MergeSerializer(NoteSerializer):
    into = VisibleClaimField(queryset=Claim.objects.all(), help_text="Id of the claim this one duplicates.")


class ClaimRecutSerializer(ClaimSpanSerializer):
    """New boundaries for a claim: offsets, or its corrected text (the occurrence nearest the claim)."""

    version = _version()


class ClaimUpdateSerializer(NoteSerializer):
    priority = serializers.ChoiceField(choices=Claim.Priority.choices, required=False)
    due_date = serializers.DateField(required=False, allow_null=True, help_text="null clears the due date.")


class ClaimIdsSerializer(serializers.Serializer):
    claims = serializers.ListField(
        # The upper bound is the id column's (a bigint): a larger number would reach the database
        # and fail there (a 500) instead of being refused here.
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=500,
        help_text="Claim ids.",
    )


class BulkAssignSerializer(ClaimIdsSerializer):
    reviewer = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), help_text="User id of a reviewer.")
    priority = serializers.ChoiceField(choices=Claim.Priority.choices, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)


class RefusedSerializer(serializers.Serializer):
    claim = serializers.IntegerField()
    code = serializers.CharField(help_text="`not_found` for ids you cannot see; `invalid_transition`...")
    message = serializers.CharField()


class BulkAssignResultSerializer(serializers.Serializer):
    assigned = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the claims assigned.")
    refused = RefusedSerializer(many=True, help_text="Claims left as they were, each with the reason.")


class AutoAssignedSerializer(serializers.Serializer):
    claim = serializers.IntegerField()
    reviewer = serializers.IntegerField(help_text="User id of the reviewer.")
    reviewer_username = serializers.CharField()


class AutoAssignResultSerializer(serializers.Serializer):
    assigned = AutoAssignedSerializer(many=True)
    refused = RefusedSerializer(many=True, help_text="Claims left as they were, each with the reason.")


class ReviewerLoadSerializer(serializers.Serializer):
    """A reviewer from ``reviewer_loads()``: the profile joined, the open load annotated."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")
    available = serializers.SerializerMethodField()
    open_load = serializers.IntegerField(help_text="Claims assigned to them and not yet approved.")
    max_open = serializers.SerializerMethodField()
    capacity = serializers.SerializerMethodField()

    @extend_schema_field(serializers.BooleanField())
    def get_available(self, user) -> bool:
        profile = getattr(user, "reviewer_profile", None)
        return profile is None or profile.available

    @extend_schema_field(serializers.IntegerField(help_text="Most open claims auto-assignment gives them."))
    def get_max_open(self, user) -> int:
        return reviewer_cap(user)

    @extend_schema_field(serializers.IntegerField(help_text="Claims auto-assignment may still give them."))
    def get_capacity(self, user) -> int:
        return max(0, reviewer_cap(user) - user.open_load)


class CommentCreateSerializer(serializers.Serializer):
    body = StrictCharField(help_text="Plain text; @username mentions notify colleagues who may see the claim.")


class SourceCreateSerializer(serializers.Serializer):
    title = StrictCharField()
    url = StrictCharField(required=False, allow_blank=True, help_text="http or https URL.")
    kind = serializers.ChoiceField(choices=Source.Kind.choices, required=False)
    publisher = StrictCharField(required=False, allow_blank=True)
    excerpt = StrictCharField(required=False, allow_blank=True)
    accessed_on = serializers.DateField(required=False, allow_null=True)


class SourceUpdateSerializer(SourceCreateSerializer):
    """The fields to change; the others keep their values."""


class VerdictSerializer(serializers.Serializer):
    rating = SlugChoiceField(  # refuses a NUL byte before the query (a 500 on PostgreSQL)
        slug_field="slug", queryset=Rating.objects.all(), help_text="A rating slug from /api/v1/ratings/."
    )
    summary = StrictCharField(help_text="The claim as checked, in a short sentence (ClaimReview claimReviewed).")
    explanation = StrictCharField()


class RulingSubmitSerializer(VerdictSerializer):
    draft = serializers.BooleanField(
        default=False, help_text="true: save it as your draft (not yet a verdict); false: submit it for approval."
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version of your draft you last read; a 409 `conflict` if it has changed since.",
    )


class CorrectionSerializer(VerdictSerializer):
    correction_note = StrictCharField(max_length=5000, help_text="What was corrected and why, shown publicly.")
    version = _version()
