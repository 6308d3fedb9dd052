"""Forms for campaigns and their actions, split by concept; views import the modules."""
