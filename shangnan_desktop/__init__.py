"""商南县政府网站信息报送统计: quarterly scoring and ranking of website submissions."""

__version__ = "0.1.0"
APP_NAME = "商南县政府网站信息报送统计"
APP_ID = "shangnan-desktop"
