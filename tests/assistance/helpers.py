from cyberaide.assistance import services


def make_request(result, provider):
    """A request from Claire, in Lyon, to this provider about this result; returns (request, follow-up token)."""
    return services.create_request(
        provider=provider,
        place=services.Place("Lyon", "69003", "69", 45.76, 4.84),
        contact=services.Contact("Claire Dubois", "claire@exemple.fr"),
        consent=True,
        result=result,
        expertise=("postes_serveurs",),
    )
