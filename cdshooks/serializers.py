"""The CDS Hooks 2.0 JSON shapes, for the OpenAPI document (cards.py builds the answers)."""

from rest_framework import serializers


class PrefetchTemplateSerializer(serializers.Serializer):
    conditions = serializers.CharField(help_text="FHIR query for the patient's active Conditions.")


class ServiceSerializer(serializers.Serializer):
    hook = serializers.CharField()
    id = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    prefetch = PrefetchTemplateSerializer()


class DiscoverySerializer(serializers.Serializer):
    services = ServiceSerializer(many=True)


class ContextSerializer(serializers.Serializer):
    patientId = serializers.CharField()
    userId = serializers.CharField(required=False)


class HookPrefetchSerializer(serializers.Serializer):
    conditions = serializers.JSONField(help_text="A FHIR R4 Bundle of Condition resources.")


class HookRequestSerializer(serializers.Serializer):
    hook = serializers.ChoiceField(choices=["patient-view"])
    hookInstance = serializers.UUIDField()
    fhirServer = serializers.URLField(required=False)
    context = ContextSerializer()
    prefetch = HookPrefetchSerializer()


class TopicSerializer(serializers.Serializer):
    system = serializers.CharField()
    code = serializers.CharField()


class SourceSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.URLField()
    topic = TopicSerializer()


class LinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.URLField()
    type = serializers.ChoiceField(choices=["absolute"])


class CardSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    summary = serializers.CharField(max_length=140)
    indicator = serializers.ChoiceField(choices=["info"])
    detail = serializers.CharField()
    source = SourceSerializer()
    links = LinkSerializer(many=True)


class CardsSerializer(serializers.Serializer):
    cards = CardSerializer(many=True)
