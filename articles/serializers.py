"""API shapes of articles and claims. Input serializers check types only; the content rules
(lengths, control characters, URLs) live in articles/validation.py and run in the services."""

from rest_framework import serializers

from factcheck.api import OptionalURLField, StrictCharField

from .models import Article, Claim


class ArticleCreateSerializer(serializers.Serializer):
    title = StrictCharField(required=False, allow_blank=True, help_text="Defaults to the body's first line.")
    body = StrictCharField(allow_blank=True, help_text="Plain text; stored verbatim (line endings normalised).")
    source_url = StrictCharField(required=False, allow_blank=True, help_text="http or https URL.")
    outlet = StrictCharField(required=False, allow_blank=True)
    byline = StrictCharField(required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)
    language = StrictCharField(required=False, allow_blank=True)
    extract = serializers.BooleanField(
        default=True,
        help_text="Queue claim extraction after saving; false: the article waits for POST /articles/{id}/extract/.",
    )


class ArticleUpdateSerializer(serializers.Serializer):
    """The fields to change; the others keep their values. A new body re-queues extraction."""

    title = StrictCharField(required=False, allow_blank=True, help_text="Empty: the body's first line.")
    body = StrictCharField(
        required=False, help_text="Claims with editorial work are kept (stale if their text is gone)."
    )
    source_url = StrictCharField(required=False, allow_blank=True, help_text="http or https URL.")
    outlet = StrictCharField(required=False, allow_blank=True)
    byline = StrictCharField(required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)
    language = StrictCharField(required=False, allow_blank=True)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The `version` you last read (or send it as `If-Match`); a 409 `conflict` if it has changed since.",
    )


class ClaimSerializer(serializers.ModelSerializer):
    """A claim as it appears in lists: the queue and an article's claims."""

    assignee_username = serializers.SlugRelatedField(
        source="assignee", slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "article",
            "start",
            "end",
            "text",
            "checkworthiness",
            "checkworthy",
            "claim_type",
            "speaker",
            "status",
            "priority",
            "due_date",
            "stale",
            "assignee",
            "assignee_username",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ArticleListSerializer(serializers.ModelSerializer):
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    source_url = OptionalURLField()
    claim_count = serializers.IntegerField(read_only=True)
    checkworthy_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "source_url",
            "outlet",
            "byline",
            "published_on",
            "language",
            "detected_language",
            "extraction_status",
            "version",
            "created_at",
            "updated_at",
            "submitted_by",
            "claim_count",
            "checkworthy_count",
        ]
        read_only_fields = fields


class ArticleDetailSerializer(serializers.ModelSerializer):
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    source_url = OptionalURLField()
    claims = ClaimSerializer(many=True, read_only=True, help_text="The claims visible to you, in text order.")

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "body",
            "source_url",
            "outlet",
            "byline",
            "published_on",
            "language",
            "detected_language",
            "extraction_status",
            "extraction_error",
            "version",
            "created_at",
            "updated_at",
            "submitted_by",
            "claims",
        ]
        read_only_fields = fields


class ClaimSpanSerializer(serializers.Serializer):
    """A claim's span of the article: ``start`` and ``end``, or its ``text``, or both (then
    the text must be what the offsets point at). The service trims and checks the span."""

    start = serializers.IntegerField(
        required=False, min_value=0, help_text="Offset of the first character in the body, in Unicode code points."
    )
    end = serializers.IntegerField(
        required=False, min_value=0, help_text="Offset just past the last character (exclusive)."
    )
    text = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=20_000,
        help_text="The claim's words exactly as in the article; without offsets they are looked up in the body.",
    )

    def validate(self, data):
        if ("start" in data) != ("end" in data):
            raise serializers.ValidationError({"end": ["Send both start and end, or neither."]})
        if not data.get("text"):
            data.pop("text", None)
        if "start" not in data and not (data.get("text") or "").strip():
            raise serializers.ValidationError({"text": ["Send start and end, or the claim's text."]})
        return data


class ArticleImportSerializer(serializers.Serializer):
    """Many articles in one request; each row is checked on its own by the importer."""

    articles = serializers.ListField(
        child=serializers.JSONField(),
        allow_empty=False,
        max_length=1000,
        help_text=(
            "Up to 1,000 article objects with the fields of POST /articles/ (`body` required; `title`, "
            "`source_url`, `outlet`, `byline`, `published_on`, `language`)."
        ),
    )
    extract = serializers.BooleanField(default=True, help_text="Queue claim extraction for the new articles.")


class ImportRowSkippedSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row's position in `articles`, from 1.")
    reason = serializers.CharField()


class ImportRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row's position in `articles`, from 1.")
    message = serializers.CharField()


class ArticleImportReportSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Articles stored by this request.")
    article_ids = serializers.ListField(child=serializers.IntegerField(), help_text="Their ids, in row order.")
    skipped = ImportRowSkippedSerializer(
        many=True, help_text="Rows whose `source_url` is already stored (or earlier in this request)."
    )
    errors = ImportRowErrorSerializer(many=True, help_text="Rows refused by the input rules; none of them is stored.")
