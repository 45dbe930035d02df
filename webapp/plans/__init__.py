"""Municipal plans: the editor (planners), consultation (consultants), public pages, versions and documents."""
