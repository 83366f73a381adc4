#!/usr/bin/env bash
# build.sh builds a real WordPress from Debian's packages on 127.0.0.1, fills
# it through the WordPress API (site.php) and saves, for each stock theme,
# every page the site serves by links (snapshot/) under
# internal/testsite/wpreal/testdata. See README.md beside this file.
#
# Usage: scripts/wordpress/build.sh [--no-install] [--keep]
#   --no-install  skip apt-get (the packages are already there)
#   --keep        leave MariaDB and Apache running afterwards, to look around
#
# Environment: FOLIO_WP_WORK (scratch directory, default /tmp/folio-wordpress),
# FOLIO_WP_HTTP_PORT (default 8781), FOLIO_WP_DB_PORT (default 3316),
# FOLIO_WP_OUT (default internal/testsite/wpreal/testdata).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${FOLIO_WP_WORK:-/tmp/folio-wordpress}
http_port=${FOLIO_WP_HTTP_PORT:-8781}
db_port=${FOLIO_WP_DB_PORT:-3316}
out=${FOLIO_WP_OUT:-$repo/internal/testsite/wpreal/testdata}
themes=(twentytwentyone twentytwentytwo twentytwentythree)
# The name Debian's wp-config.php reads the site's settings under:
# /etc/wordpress/config-$config_name.php.
config_name=folio-fixtures
base="http://127.0.0.1:$http_port"
# The saved files name the site by this host instead of 127.0.0.1:PORT;
# internal/testsite/wpreal puts its own address back when it serves them.
placeholder=wpreal.invalid

install=1
keep=0
for arg in "$@"; do
	case $arg in
	--no-install) install=0 ;;
	--keep) keep=1 ;;
	*) echo "usage: $0 [--no-install] [--keep]" >&2; exit 2 ;;
	esac
done

log() { printf '== %s\n' "$*" >&2; }

if [ "$(id -u)" != 0 ]; then
	echo "$0: run as root (apt-get, /etc/wordpress, Apache's user switch)" >&2
	exit 1
fi

if [ "$install" = 1 ]; then
	log "installing Debian's packages"
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		wordpress wordpress-l10n wordpress-theme-twentytwentyone \
		wordpress-theme-twentytwentytwo wordpress-theme-twentytwentythree \
		apache2 libapache2-mod-php php-mysql php-xml mariadb-server
fi

# Port clashes are refused rather than worked around: PostgreSQL (5432),
# Redis (6379) and any system MariaDB (3306) keep running untouched.
stop_servers() {
	if [ -f "$work/apache.pid" ]; then
		kill "$(cat "$work/apache.pid")" 2>/dev/null || true
	fi
	if [ -f "$work/db.pid" ]; then
		kill "$(cat "$work/db.pid")" 2>/dev/null || true
	fi
	for _ in $(seq 50); do
		[ -f "$work/apache.pid" ] || [ -f "$work/db.pid" ] || return 0
		sleep 0.2
	done
}
stop_servers
for port in "$http_port" "$db_port"; do
	if ss -ltnH "sport = :$port" | grep -q .; then
		echo "$0: port $port is in use; set FOLIO_WP_HTTP_PORT or FOLIO_WP_DB_PORT" >&2
		exit 1
	fi
done
rm -rf "$work"
mkdir -p "$work/db" "$work/run" "$work/logs"
if [ "$keep" = 0 ]; then
	trap stop_servers EXIT
fi

log "starting a private MariaDB on 127.0.0.1:$db_port"
mariadb-install-db --no-defaults --datadir="$work/db" --user=root \
	--auth-root-authentication-method=normal --skip-test-db >"$work/logs/db-install.log" 2>&1
mariadbd --no-defaults --datadir="$work/db" --user=root \
	--bind-address=127.0.0.1 --port="$db_port" --socket="$work/db.sock" \
	--pid-file="$work/db.pid" --log-error="$work/logs/db.log" \
	--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci &
for _ in $(seq 100); do
	[ -S "$work/db.sock" ] && break
	sleep 0.2
done
mariadb --no-defaults --socket="$work/db.sock" -u root <<SQL
CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'folio'@'127.0.0.1' IDENTIFIED BY 'folio';
GRANT ALL ON wordpress.* TO 'folio'@'127.0.0.1';
SQL

log "writing /etc/wordpress/config-$config_name.php"
# Fixed salts: nothing secret lives here, and the pages stay the same from
# one run to the next.
cat >"/etc/wordpress/config-$config_name.php" <<PHP
<?php
// Written by folio's scripts/wordpress/build.sh for its fixture site.
define('DB_NAME', 'wordpress');
define('DB_USER', 'folio');
define('DB_PASSWORD', 'folio');
define('DB_HOST', '127.0.0.1:$db_port');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_HOME', '$base');
define('WP_SITEURL', '$base');
define('WPLANG', 'fr_FR');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_DEBUG', false);
foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY',
	'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as \$k) {
	define(\$k, 'folio-fixture-' . \$k);
}
\$table_prefix = 'wp_';
PHP

log "starting a private Apache on $base"
modules=/usr/lib/apache2/modules
cat >"$work/apache2.conf" <<CONF
ServerRoot /etc/apache2
ServerName 127.0.0.1
Listen 127.0.0.1:$http_port
PidFile $work/apache.pid
DefaultRuntimeDir $work/run
Mutex file:$work/run default
User www-data
Group www-data
ErrorLog $work/logs/apache-error.log
LogFormat "%h %t \"%r\" %>s %b" plain
CustomLog $work/logs/apache-access.log plain
LoadModule mpm_prefork_module $modules/mod_mpm_prefork.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule alias_module $modules/mod_alias.so
LoadModule dir_module $modules/mod_dir.so
LoadModule env_module $modules/mod_env.so
LoadModule mime_module $modules/mod_mime.so
LoadModule rewrite_module $modules/mod_rewrite.so
LoadModule php_module $modules/libphp8.2.so
TypesConfig /etc/mime.types
StartServers 2
MaxRequestWorkers 8
DocumentRoot /usr/share/wordpress
DirectoryIndex index.php index.html
SetEnv WORDPRESS_CONFIG $config_name
Alias /wp-content /var/lib/wordpress/wp-content
<FilesMatch "\.php\$">
	SetHandler application/x-httpd-php
</FilesMatch>
<Directory />
	AllowOverride None
	Require all denied
</Directory>
<Directory /usr/share/wordpress>
	Options FollowSymLinks
	Require all granted
	# WordPress's pretty permalinks, as its .htaccess would set them.
	RewriteEngine On
	RewriteBase /
	RewriteRule ^index\.php\$ - [L]
	RewriteCond %{REQUEST_FILENAME} !-f
	RewriteCond %{REQUEST_FILENAME} !-d
	RewriteRule . /index.php [L]
</Directory>
<Directory /var/lib/wordpress/wp-content>
	Options FollowSymLinks
	Require all granted
</Directory>
CONF
apache2 -f "$work/apache2.conf" -k start
for _ in $(seq 50); do
	[ -f "$work/apache.pid" ] && break
	sleep 0.2
done

php_site() {
	WORDPRESS_CONFIG=$config_name FOLIO_WP_BASE=$base FOLIO_WP_PLACEHOLDER=$placeholder php "$here/site.php" "$@"
}

log "installing WordPress in French and filling it"
php_site install

# The snapshot tool is part of the module, so it builds with the repo's go.mod.
snapshot="$work/snapshot"
(cd "$repo" && go build -o "$snapshot" ./scripts/wordpress/snapshot)

mkdir -p "$out"
for theme in "${themes[@]}"; do
	log "theme $theme: saving the site"
	php_site theme "$theme"
	rm -rf "${out:?}/$theme"
	"$snapshot" -base "$base" -placeholder "$placeholder" -out "$out/$theme"
done

log "writing the expected records"
php_site expected "${themes[@]}" >"$out/expected.json"
php_site versions "${themes[@]}" >"$out/versions.json"

du -sh "$out" >&2
log "done: $out"
