"""Reference data: countries, languages, treaties, channels, assistance types, refusal grounds, offence categories."""  # noqa: E501
