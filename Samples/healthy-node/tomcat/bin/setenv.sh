#!/bin/sh
# Site settings for appnode-02; read by catalina.sh at start-up.
CATALINA_PID="$CATALINA_BASE/temp/tomcat.pid"
JAVA_HOME=/usr/lib/jvm/java-17-openjdk
CATALINA_OPTS="$CATALINA_OPTS -Xms8g -Xmx8g -XX:+UseG1GC -XX:MaxGCPauseMillis=200 -XX:+ExitOnOutOfMemoryError"
CATALINA_OPTS="$CATALINA_OPTS -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/var/dumps"
CATALINA_OPTS="$CATALINA_OPTS -Xlog:gc*:file=/opt/orderhub/jvm/gc.log:time,uptime:filecount=10,filesize=50m"
# JMX for the monitoring agent: local only, with authentication and TLS
CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.port=9010 -Dcom.sun.management.jmxremote.host=127.0.0.1"
CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.authenticate=true -Dcom.sun.management.jmxremote.ssl=true"
CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.jmxremote.password.file=$CATALINA_BASE/conf/jmxremote.password"
export CATALINA_PID JAVA_HOME CATALINA_OPTS
