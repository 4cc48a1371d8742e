"""API shapes of the workflow: claim detail, sources, rulings, ratings and action inputs.
Input serializers check types only; the rules run in reviews/services.py."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Claim
from articles.serializers import ClaimSerializer
from factcheck.api import StrictCharField

from .claimreview import claimreview, public_url, rating_bounds
from .models import Event, Rating, Ruling, Source
from .workflow import TRANSITIONS, available_transitions

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


class ClaimDetailSerializer(ClaimSerializer):
    sources = SourceSerializer(many=True, read_only=True)
    rulings = RulingSerializer(many=True, read_only=True, help_text="Newest first; returned ones are history.")
    events = EventSerializer(many=True, read_only=True, help_text="The audit trail, oldest first.")
    available_actions = serializers.SerializerMethodField()

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "sources", "rulings", "events", "available_actions"]
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


class NoteSerializer(serializers.Serializer):
    note = StrictCharField(required=False, allow_blank=True, max_length=5000)


class ReturnSerializer(serializers.Serializer):
    note = StrictCharField(max_length=5000, help_text="What the reviewer should change.")


class AssignSerializer(serializers.Serializer):
    reviewer = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), help_text="User id of a reviewer.")
    priority = serializers.ChoiceField(choices=Claim.Priority.choices, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)
    note = StrictCharField(required=False, allow_blank=True, max_length=5000)


class SourceCreateSerializer(serializers.Serializer):
    title = StrictCharField()
    url = StrictCharField(required=False, allow_blank=True, help_text="http or https URL.")
    kind = serializers.ChoiceField(choices=Source.Kind.choices, required=False)
    publisher = StrictCharField(required=False, allow_blank=True)
    excerpt = StrictCharField(required=False, allow_blank=True)
    accessed_on = serializers.DateField(required=False, allow_null=True)


class RulingSubmitSerializer(serializers.Serializer):
    rating = serializers.SlugRelatedField(
        slug_field="slug", queryset=Rating.objects.all(), help_text="A rating slug from /api/v1/ratings/."
    )
    summary = StrictCharField(help_text="The claim as checked, in a short sentence (ClaimReview claimReviewed).")
    explanation = StrictCharField()
